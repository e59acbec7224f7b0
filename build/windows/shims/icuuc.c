/* The system ICU (icuuc.dll, Windows 10 1703 and later) that Qt6Core.dll of PySide6 6.10+ imports for its
 * text codecs (ucnv_*). Wine 8.0 has none (Wine 11.5 provides one). This stand-in has no converters: Qt
 * then falls back to its own UTF-8/UTF-16/Latin-1 code, which is all fpdesk uses. Build prefix only. */
typedef int E;
#define X __declspec(dllexport)
#define FAIL(e) do { if ((e) && *(e) <= 0) *(e) = 4; } while (0)
X void *ucnv_open(const char *n, E *e) { (void)n; FAIL(e); return 0; }
X void ucnv_close(void *c) { (void)c; }
X void ucnv_reset(void *c) { (void)c; }
X signed char ucnv_getMaxCharSize(const void *c) { (void)c; return 4; }
X const char *ucnv_getName(const void *c, E *e) { (void)c; FAIL(e); return 0; }
X void ucnv_getToUCallBack(const void *c, void **a, const void **b) { (void)c; if (a) *a = 0; if (b) *b = 0; }
X void ucnv_getFromUCallBack(const void *c, void **a, const void **b) { (void)c; if (a) *a = 0; if (b) *b = 0; }
X void ucnv_setToUCallBack(void *c, void *n, const void *x, void **o, const void **p, E *e) { (void)c; (void)n; (void)x; if (o) *o = 0; if (p) *p = 0; FAIL(e); }
X void ucnv_setFromUCallBack(void *c, void *n, const void *x, void **o, const void **p, E *e) { (void)c; (void)n; (void)x; if (o) *o = 0; if (p) *p = 0; FAIL(e); }
X void ucnv_cbToUWriteUChars(void *a, const void *s, int l, int o, E *e) { (void)a; (void)s; (void)l; (void)o; FAIL(e); }
X void ucnv_cbFromUWriteUChars(void *a, const void **s, const void *x, int o, E *e) { (void)a; (void)s; (void)x; (void)o; FAIL(e); }
X void ucnv_toUnicode(void *c, void **t, const void *tl, const char **s, const char *sl, int *o, signed char f, E *e) { (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; FAIL(e); }
X void ucnv_fromUnicode(void *c, char **t, const char *tl, const void **s, const void *sl, int *o, signed char f, E *e) { (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; FAIL(e); }
X int ucnv_toUCountPending(const void *c, E *e) { (void)c; (void)e; return 0; }
X int ucnv_fromUCountPending(const void *c, E *e) { (void)c; (void)e; return 0; }
X const char *ucnv_getStandardName(const char *n, const char *s, E *e) { (void)n; (void)s; (void)e; return 0; }
X const char *ucnv_getAvailableName(int n) { (void)n; return 0; }
X int ucnv_countAvailable(void) { return 0; }
X void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *a, void *b, const void *c, int d, int f, int g, E *e) { (void)a; (void)b; (void)c; (void)d; (void)f; (void)g; (void)e; }
X void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *a, void *b, const char *c, int d, int f, E *e) { (void)a; (void)b; (void)c; (void)d; (void)f; (void)e; }

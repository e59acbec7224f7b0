/* Colour-management calls that Qt's qwindows.dll makes at start; Wine 8.0's mscms stub aborts on
 * WcsCreateIccProfile. These answer "not supported", as Windows does without a colour profile. */
#include <windows.h>
#define X __declspec(dllexport)
X HANDLE WINAPI OpenColorProfileW(void *p, DWORD a, DWORD s, DWORD c) { (void)p; (void)a; (void)s; (void)c; SetLastError(ERROR_NOT_SUPPORTED); return NULL; }
X BOOL WINAPI CloseColorProfile(HANDLE h) { (void)h; return TRUE; }
X BOOL WINAPI GetColorProfileFromHandle(HANDLE h, BYTE *b, DWORD *n) { (void)h; (void)b; (void)n; SetLastError(ERROR_NOT_SUPPORTED); return FALSE; }
X HANDLE WINAPI WcsCreateIccProfile(HANDLE h, DWORD o) { (void)h; (void)o; SetLastError(ERROR_NOT_SUPPORTED); return NULL; }

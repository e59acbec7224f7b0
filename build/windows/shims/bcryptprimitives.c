/* ProcessPrng, which Rust-built wheels (python-calamine) import from bcryptprimitives.dll on Windows 10
 * and later. Wine 8.0 lacks it; this stand-in goes into the build prefix only, never into the bundle. */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, chunk)) return FALSE;
        data += chunk; len -= chunk;
    }
    return TRUE;
}

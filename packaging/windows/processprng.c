/* bcryptprimitives.dll for Wine 8, which lacks it: Rust's std asks it for random bytes
 * (ProcessPrng, Windows 10+), so without it a test executable does not even load under Wine.
 * Only for `make test-windows` – the app ships without it and uses Windows' own.
 * Built with: x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll processprng.c -ladvapi32 */
#include <windows.h>

/* RtlGenRandom: advapi32's export SystemFunction036, which Wine has. */
BOOLEAN NTAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    /* RtlGenRandom takes a ULONG length: large requests go in pieces. */
    while (size > 0) {
        ULONG piece = size > 0x10000000 ? 0x10000000 : (ULONG)size;
        if (!SystemFunction036(data, piece))
            return FALSE;
        data += piece;
        size -= piece;
    }
    return TRUE;
}

# openat with its path in a page the process has not touched yet (a fresh file mapping, cache dropped): the probe cannot read it at the enter
import ctypes, os, sys, tempfile
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.openat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
# (under the directory the test gives, which it removes)
d = tempfile.mkdtemp(prefix='unpaged-', dir=sys.argv[1] if len(sys.argv) > 1 else None)
target = os.path.join(d, 'target.txt')
open(target, 'w').close()
for i in range(3):
    src = os.path.join(d, 'path%d.bin' % i)
    with open(src, 'wb') as f: f.write(target.encode() + b'\0')
    fd = os.open(src, os.O_RDONLY)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    addr = libc.mmap(None, 4096, 1, 2, fd, 0)  # PROT_READ, MAP_PRIVATE
    t = libc.openat(-100, addr, 0)
    if t >= 0: os.close(t)
    os.close(fd)

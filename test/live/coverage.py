# Second workload for the live capture tests: one call of many syscalls the
# probe records with specific events, each with a marker where it can carry
# one. Usage: coverage.py DIR MARKER
import ctypes
import errno
import mmap
import os
import signal
import socket
import sys

d, marker = sys.argv[1], sys.argv[2]
mb = marker.encode()
libc = ctypes.CDLL(None, use_errno=True)
p = lambda name: os.path.join(d, marker + '-' + name)

# files
fd = os.open(p('data'), os.O_CREAT | os.O_RDWR, 0o600)
os.pwrite(fd, b'pw-' + mb, 100)
os.pread(fd, 64, 100)
os.writev(fd, [b'wv1-', mb, b'-wv2'])
os.lseek(fd, 0, os.SEEK_SET)
bufs = [bytearray(4), bytearray(60)]
os.readv(fd, bufs)
os.ftruncate(fd, 10)
os.fchmod(fd, 0o640)
os.fchown(fd, 0, 0)
d2 = os.dup(fd)
d3 = os.dup2(fd, 40)
d4 = os.dup2(fd, 41, inheritable=False)  # dup3 with O_CLOEXEC
os.close(d2); os.close(d3); os.close(d4)
m = mmap.mmap(fd, 10, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
m.close()
os.close(fd)
cfd = libc.creat(p('creat').encode(), 0o644)
os.close(cfd)
os.truncate(p('creat'), 0)
os.chmod(p('creat'), 0o600)
os.chown(p('creat'), 0, 0)
os.lchown(p('creat'), 0, 0)
os.mkdir(p('dir'), 0o755)
os.chdir(p('dir'))
os.chdir(d)
dfd = os.open(p('dir'), os.O_RDONLY)
os.fchdir(dfd)
os.chdir(d)
os.close(dfd)
os.rmdir(p('dir'))
os.link(p('creat'), p('hard'))
os.symlink(p('creat'), p('sym'))
os.unlink(p('hard'))
os.unlink(p('sym'))
r, w = os.pipe()
os.write(w, b'pipe-' + mb)
os.read(r, 64)
os.close(r); os.close(w)
r, w = os.pipe2(os.O_CLOEXEC | os.O_NONBLOCK)
os.close(r); os.close(w)
mfd = os.memfd_create('memfd-' + marker)
os.close(mfd)
import fcntl
fd = os.open(p('creat'), os.O_RDONLY)
fcntl.fcntl(fd, fcntl.F_SETFD, fcntl.FD_CLOEXEC)
os.close(fd)
os.unlink(p('creat'))
os.unlink(p('data'))
try:
    os.open(p('nope'), os.O_RDONLY)
except FileNotFoundError:
    pass

# sockets
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
a.sendmsg([b'msg-', mb])
b.recvmsg(64)
a.shutdown(socket.SHUT_WR)
a.close(); b.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
u.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
u.bind(('127.0.0.1', 0))
port = u.getsockname()[1]
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
v.sendto(b'udp-' + mb, ('127.0.0.1', port))
u.recvfrom(64)
u.close(); v.close()

# identity, signals, process attributes
os.setgid(0)
os.setuid(0)
os.setresgid(0, 0, 0)
os.setresuid(0, 0, 0)
libc.prctl(15, ctypes.c_char_p(b'prname'), 0, 0, 0)  # PR_SET_NAME
os.kill(os.getpid(), 0)
import threading
signal.pthread_kill(threading.get_ident(), 0)  # tgkill
CLONE_NEWUTS = 0x04000000
pid = os.fork()
if pid == 0:
    libc.unshare(CLONE_NEWUTS)
    libc.chroot(b'/')
    os._exit(0)
os.waitpid(pid, 0)
libc.ptrace(0x4206, 999999, 0, 0)  # PTRACE_SEIZE of a missing pid: ESRCH
action = ctypes.c_uint32(0x7fff0000)  # SECCOMP_RET_ALLOW
libc.syscall(317, 2, 0, ctypes.byref(action))  # seccomp(SECCOMP_GET_ACTION_AVAIL): harmless
# a bind mount passes no filesystem type (NULL): written as "(NULL)", as sysdig's module does
os.mkdir(p('mnt-a')); os.mkdir(p('mnt-b'))
if libc.mount(p('mnt-a').encode(), p('mnt-b').encode(), None, 4096, None) == 0:  # MS_BIND
    libc.umount2(p('mnt-b').encode(), 0)
os.rmdir(p('mnt-a')); os.rmdir(p('mnt-b'))
print('done', marker)

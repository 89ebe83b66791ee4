# UDP sockets never bound to a port, connected or accepted: sysdig guesses their role
import socket, os
def pair(fam, host):
    u = socket.socket(fam, socket.SOCK_DGRAM); u.bind((host, 0)); p = u.getsockname()[1]
    v = socket.socket(fam, socket.SOCK_DGRAM)
    v.sendto(b'a', (host, p)); d, src = u.recvfrom(10); u.sendto(b'b', src); v.recvfrom(10)
    v.connect((host, p)); v.send(b'c'); u.recv(10)
    return u, v
a = pair(socket.AF_INET6, '::1')
b = pair(socket.AF_INET, '127.0.0.1')   # now the process has IPv4 sockets: the guess looks at them
c = pair(socket.AF_INET6, '::1')
n = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); n.setblocking(False); n.bind(('127.0.0.1', 0))
try: n.recvmsg(64)
except BlockingIOError: pass
for s in a + b + c + (n,): s.close()

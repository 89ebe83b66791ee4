# UDP streams for udp_extract: IPv4/IPv6 tuples, a DNS query to port 53, binary payloads, sendto/send/sendmsg/recvmsg/read/write/readv
import os, socket
def q(name):
    return b'\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00' + b''.join(bytes([len(p)]) + p for p in name.split(b'.')) + b'\x00\x00\x01\x00\x01'
dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); dns.bind(('127.0.0.7', 53))
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.sendto(q(b'example.com'), ('127.0.0.7', 53)); d, src = dns.recvfrom(512)
dns.sendto(d[:2] + b'\x81\x80' + d[4:] + b'\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x5d\xb8\xd8\x22', src); c.recvfrom(512)
a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(('127.0.0.1', 0))
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); b.bind(('127.0.0.1', 0)); b.connect(a.getsockname())
blob = bytes(range(256)) * 3
b.send(blob); a.recvfrom(2048)
b.send(b'second datagram\n'); a.recv(2048)
os.write(b.fileno(), b'via write()\x00\xff'); os.read(a.fileno(), 2048)
b.sendmsg([b'part1|', b'part2|', b'\x00\x01\x02']); a.recvmsg(2048)
b.send(b'vector read'); os.readv(a.fileno(), [bytearray(4), bytearray(100)])
a.sendto(b'reply to b', b.getsockname()); b.recv(100)
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s6.bind(('::1', 0))
t6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
for i in range(3): t6.sendto(b'v6 #%d ' % i + bytes([i] * 40), s6.getsockname()); s6.recvfrom(100)
e = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); e.setblocking(False)
try: e.recv(10)
except BlockingIOError: pass
for s in (dns, c, a, b, s6, t6, e): s.close()

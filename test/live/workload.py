# Workload for the live capture tests: every step uses a marker so the test
# can find its events. Usage: workload.py DIR MARKER
import os
import socket
import sys

d, marker = sys.argv[1], sys.argv[2]
mb = marker.encode()

# exec of a marker program with marker args
pid = os.fork()
if pid == 0:
    os.execv('/bin/true', ['/bin/true', marker, 'second-' + marker])
os.waitpid(pid, 0)

# open/write/read of a marker file
path = os.path.join(d, marker + '.txt')
fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o640)
os.write(fd, b'written-' + mb)
os.close(fd)
fd = os.open(path, os.O_RDONLY)
os.read(fd, 200)
os.close(fd)

# a failed open (ENOENT)
try:
    os.open(os.path.join(d, marker + '-missing'), os.O_RDONLY)
except FileNotFoundError:
    pass

# TCP connect/accept on 127.0.0.1 with data both ways
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(('127.0.0.1', 0))
srv.listen(1)
port = srv.getsockname()[1]
cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
cli.connect(('127.0.0.1', port))
conn, _ = srv.accept()
cli.sendall(b'ping-' + mb)
conn.recv(200)
conn.sendall(b'pong-' + mb)
cli.recv(200)
cli.close()
conn.close()
srv.close()

# a fork tree: child and grandchild, each exiting with its own status
pid = os.fork()
if pid == 0:
    gpid = os.fork()
    if gpid == 0:
        os._exit(7)
    os.waitpid(gpid, 0)
    os._exit(5)
os.waitpid(pid, 0)

# rename and unlink
path2 = os.path.join(d, marker + '-renamed.txt')
os.rename(path, path2)
os.unlink(path2)

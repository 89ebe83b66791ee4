# A memcached-like text-protocol server on port 11211 and a client: get/set/gets/delete, noreply sets of several sizes, split writes
import os, socket, time
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); srv.bind(('127.0.0.1', 11211)); srv.listen(1)
if os.fork() == 0:
    c, _ = srv.accept(); store = {}; buf = b''
    while True:
        d = c.recv(65536)
        if not d: break
        buf += d
        while b'\r\n' in buf:
            line, rest = buf.split(b'\r\n', 1); w = line.split(b' ')
            if w[0] in (b'set', b'add') and len(w) >= 5:
                n = int(w[4])
                if len(rest) < n + 2: break
                store[w[1]] = rest[:n]; buf = rest[n + 2:]
                if w[-1] != b'noreply': c.sendall(b'STORED\r\n')
            else:
                buf = rest
                if w[0] in (b'get', b'gets'):
                    out = b''.join(b'VALUE %s 0 %d\r\n%s\r\n' % (k, len(store[k]), store[k]) for k in w[1:] if k in store)
                    c.sendall(out + b'END\r\n')
                elif w[0] == b'delete': c.sendall(b'DELETED\r\n' if store.pop(w[1], None) is not None else b'NOT_FOUND\r\n')
                else: c.sendall(b'ERROR\r\n')
    os._exit(0)
cl = socket.create_connection(('127.0.0.1', 11211))
def ask(b, reply=True):
    cl.sendall(b)
    if reply: cl.recv(65536)
    time.sleep(0.005)
ask(b'set k 0 0 5\r\nhello\r\n')
ask(b'get k\r\n')
ask(b'set user:42 0 300 12 noreply\r\n' + b'x' * 12 + b'\r\n', False)
ask(b'set big 0 0 1500 noreply\r\n' + b'B' * 1500 + b'\r\n', False)
ask(b'set huge 1 0 3000 noreply\r\n' + b'H' * 3000 + b'\r\n', False)
ask(b'get user:42 big nokey\r\n')
ask(b'gets k\r\n')
cl.sendall(b'set split 0 0 4 noreply'); time.sleep(0.005); ask(b'\r\nabcd\r\n', False)
ask(b'delete k\r\n')
ask(b'get\r\n')
ask(b'setx odd 0 0 1\r\n')
ask(b'add k 0 0 2 noreply\r\nzz\r\n', False)
ask(b'get k\r\n')
cl.close(); os.wait()

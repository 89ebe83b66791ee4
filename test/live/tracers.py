# Tracer spans written to /dev/null: nested, by numeric/thread/process id, with args, odd tags (@ and |), one never closed, garbage
import os, time, threading
fd = os.open('/dev/null', os.O_WRONLY)
def w(s): os.write(fd, s.encode())
w('>:t:request::'); time.sleep(0.003)
w('>:7:request.db.query:table=users,rows=3:'); time.sleep(0.002); w('<:7:request.db.query:ok=1:')
w('>:8:request.cache@main::'); time.sleep(0.001); w('<:8:request.cache@main::')
w('>:p:job|batch:n=2:'); time.sleep(0.004); w('<:p:job|batch::')
w('<:t:request::')
def worker():
    w('>:t:worker.step::'); time.sleep(0.002); w('<:t:worker.step::')
th = threading.Thread(target=worker); th.start(); th.join()
w('>:99:never.closed::')
w('<:12345:no.enter::')
w('not a tracer line\n')
w('>:12:a.b.c.d.e:x=1:\n'); time.sleep(0.001); w('<:12:a.b.c.d.e:\n')
os.close(fd)

# Messages to a syslog socket (a .../dev/log path): several facilities and severities, send/sendto/logger, a malformed one
import os, socket, subprocess, tempfile, time
d = tempfile.mkdtemp(); os.mkdir(d + '/dev'); path = d + '/dev/log'
srv = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); srv.bind(path)
cli = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
msgs = [(1, 6, 'user info: started'), (3, 4, 'daemon warning: disk 91% full'), (4, 2, 'auth crit: bad password for root'),
        (16, 7, 'local0 debug: x=1 y=2'), (23, 0, 'local7 emerg: panic'), (10, 3, 'authpriv err: pam failure'),
        (0, 5, 'kern notice: eth0 up'), (9, 1, 'cron alert: job lost')]
for fac, sev, text in msgs:
    cli.sendto(('<%d>Jan  2 03:04:05 myhost app[42]: %s' % (fac * 8 + sev, text)).encode(), path); srv.recv(4096)
    time.sleep(0.01)
cli.connect(path)
cli.send(b'<14>connected client message'); srv.recv(4096)
cli.send(b'no priority at all'); srv.recv(4096)
cli.send(b'<13>two lines\nsecond line'); srv.recv(4096)
cli.send(b'<191>' + bytes(range(1, 40)) + b' tail'); srv.recv(4096)
p = subprocess.Popen(['logger', '-u', path, '-p', 'mail.warning', '-t', 'mailer', 'queue stuck'])
time.sleep(0.05); srv.recv(4096); p.wait()
subprocess.run(['logger', '-u', path, '--rfc3164', '-p', 'local3.err', 'rfc3164 error line'])
srv.recv(4096)
cli.close(); srv.close(); os.unlink(path); os.rmdir(d + '/dev'); os.rmdir(d)

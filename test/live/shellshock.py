# bash and sh started with shellshock-style function definitions in their environment (and without), directly and from a shell
import os, subprocess
base = {'PATH': '/usr/bin:/bin', 'HOME': '/tmp'}
def run(argv, **extra):
    subprocess.run(argv, env={**base, **extra}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
run(['bash', '-c', 'true'], X='() { :;}; echo pwned')
run(['sh', '-c', 'true'], HTTP_USER_AGENT='(){ :; }; /bin/cat /etc/passwd')
run(['bash', '-c', 'true'], A='plain', B='also () plain')
run(['bash', '-c', 'true'], EMPTY='() {}', LATER='() { x; }; id')
run(['/bin/sh', '-c', 'bash -c true'], F='() { echo hi; }')
run(['dash', '-c', 'true'], X='() { :;}; echo not-bash')

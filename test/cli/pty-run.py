# Runs a command in a pseudo-terminal (Node has no built-in pty), waits for a progress line,
# presses Ctrl-C, answers the prompt with argv[1], and prints {"exit", "output"} as JSON.
# Used by tty.test.ts; skipped there when python3 is missing.
import json, os, pty, select, sys, time

answer, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b''

def read_until(pattern, timeout):
    global out
    end = time.time() + timeout
    while pattern not in out and time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    return pattern in out

read_until(b'%', 30)
os.write(fd, b'\x03')
read_until(b'[y/N]', 10)
os.write(fd, answer.encode() + b'\r')
# Drain the rest of the output until the child exits.
done, status = 0, 0
while True:
    ready, _, _ = select.select([fd], [], [], 0.1)
    if ready:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            chunk = b''
        out += chunk
        if not chunk:
            break
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
if not done:
    _, status = os.waitpid(pid, 0)
print(json.dumps({'exit': os.waitstatus_to_exitcode(status), 'output': out.decode('utf8', 'replace')}))

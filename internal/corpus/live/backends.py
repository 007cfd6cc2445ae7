# test backends: 19996 ok, 19997 garbage, 19998 slow (never answers)
import socket, threading, time, sys
def serve(port, handler):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port)); s.listen(64)
    while True:
        c, _ = s.accept()
        threading.Thread(target=handler, args=(c,), daemon=True).start()
def ok(c):
    try:
        c.recv(65536)
        body = b"hello from the app\n"
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
    finally: c.close()
def garbage(c):
    try:
        c.recv(65536); c.sendall(b"HTTP/1.1 200 OK\r\nX-Broken\x00Header: yes\r\n\r\n"); time.sleep(0.2)
    finally: c.close()
def slow(c):
    try:
        c.recv(65536); time.sleep(120)
    finally: c.close()
for p, h in ((19996, ok), (19997, garbage), (19998, slow)):
    threading.Thread(target=serve, args=(p, h), daemon=True).start()
while True: time.sleep(3600)

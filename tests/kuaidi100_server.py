"""A local HTTP server that speaks Kuaidi100's real-time query protocol (the courier's real
servers cannot be reached from here): a POST form with customer, param (JSON: com, num,
phone) and sign = upper-case MD5(param + key + customer); JSON answers with state and data, or
``{"result": false, "returnCode", "message"}``.

Each waybill has a script: the answers it gives in turn (the last one repeats). Special
answers: ``TIMEOUT`` (waits past the client's timeout), ``MALFORMED`` (not JSON), ``HTTP500``.
A waybill asked again within ``lock_seconds`` gets the service's "too frequent" refusal.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from servers.postgres import free_port


def answer(num: str, state: str, events: list[tuple[str, str]], com: str = "ems") -> dict[str, Any]:
    """A successful query answer; events as (time 'YYYY-MM-DD HH:MM:SS', text), oldest first."""
    data = [{"time": at, "ftime": at, "context": text, "location": "杭州"}
            for at, text in reversed(events)]  # the service lists the newest first
    return {"message": "ok", "nu": num, "ischeck": "1" if state == "3" else "0",
            "condition": "F00", "com": com, "status": "200", "state": state, "data": data}


@dataclass
class Kuaidi100Server:
    customer: str = "TESTCUSTOMER"
    key: str = "testkey"
    lock_seconds: float = 0.0
    scripts: dict[str, list[Any]] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)
    last_asked: dict[str, float] = field(default_factory=dict)

    def start(self) -> str:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                server.requests.append(form)
                status, body = server.reply(form)
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/poll/query.do"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def reply(self, form: dict[str, str]) -> tuple[int, bytes]:
        param = form.get("param", "")
        expected = hashlib.md5((param + self.key + self.customer).encode()).hexdigest().upper()
        if form.get("customer") != self.customer or form.get("sign") != expected:
            return 200, _json({"result": False, "returnCode": "503", "message": "验证签名失败"})
        try:
            query = json.loads(param)
        except ValueError:
            return 200, _json({"result": False, "returnCode": "400", "message": "数据不完整"})
        number = query.get("num", "")
        now = time.monotonic()
        if self.lock_seconds and now - self.last_asked.get(number, -1e9) < self.lock_seconds:
            return 200, _json({"result": False, "returnCode": "502",
                               "message": "查询过于频繁，单号已被锁定"})
        self.last_asked[number] = now
        script = self.scripts.get(number)
        if not script:
            return 200, _json({"result": False, "returnCode": "500", "message": "查询无结果"})
        reply = script.pop(0) if len(script) > 1 else script[0]
        if reply == "TIMEOUT":
            time.sleep(3)
            return 200, _json({"result": False, "returnCode": "501", "message": "late"})
        if reply == "MALFORMED":
            return 200, b"<html>gateway error</html>"
        if reply == "HTTP500":
            return 500, b"{}"
        return 200, _json(reply)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")

#!/usr/bin/env python3
"""A real EVM behind Ethereum JSON-RPC, for porcheck's balance tests.

eth-tester with the py-evm backend (every transaction mined in its own block), served over
HTTP/1.1 with keep-alive on a loopback port. Methods: eth_chainId, eth_blockNumber,
eth_getBalance(address, block), eth_call({to, data}, block), with block tags (number, latest,
earliest) answered from the chain's state at that block; porcheck_requests (test only: how
often each method was asked, per address).

Usage: evm_node.py --plan PLAN.json [--faults FAULTS.json] [--delay S] [--port N] [--tls-cert PEM --tls-key PEM]
       evm_node.py --accounts N --write-list LIST.csv --write-config NODES.json   (benchmark)

The plan is a list of steps run before serving:
  {"op": "deploy", "name": "TUSD", "decimals": 6}      compile Token.vy with vyper, deploy it
  {"op": "fund", "to": "0x…", "wei": "1500000000000000000"}
  {"op": "mint", "token": "TUSD", "to": "0x…", "units": "1234567891"}
  {"op": "mine", "blocks": 3}
  {"op": "mark", "name": "snapshot"}                      remember the current block number
  {"op": "sign", "key": 4, "message": "I am an OKX address"} OKX's ownership signature (EIP-191 over
                                                          keccak(message)) by eth-tester's account with private key 4
Faults, per address (lower-case, 0x…), apply to eth_getBalance and balanceOf for that address:
  "stall" (never answers), "garbage" (HTTP 200, not JSON), "error" (a JSON-RPC error object),
  "huge" (a 20 MB answer), "hugestream" (20 MB without a length, ended by closing), "badnumber" (a 300-bit quantity), "flaky:N" (HTTP 503 N times, then
  the real answer).
With --tls-cert/--tls-key it serves https (Python's ssl module; the tests make the certificates).
When ready it prints one JSON line on stdout: {"port", "chain_id", "marks", "tokens", "signed"}.
It exits when its standard input closes (so it never outlives the test that started it).
"""
import argparse
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# A child of a Swift test may inherit blocked signals: take the defaults back.
signal.pthread_sigmask(signal.SIG_SETMASK, [])
signal.signal(signal.SIGTERM, signal.SIG_DFL)
signal.signal(signal.SIGINT, signal.SIG_DFL)

from eth_tester import EthereumTester, PyEVMBackend  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LOCK = threading.Lock()


def compile_token():
    import vyper
    with open(os.path.join(HERE, "Token.vy")) as f:
        source = f.read()
    out = vyper.compile_code(source, output_formats=["bytecode", "abi"])
    return out["bytecode"]


def abi_args(*values):
    data = b""
    tail = b""
    head_size = 32 * len(values)
    for v in values:
        if isinstance(v, int):
            data += v.to_bytes(32, "big")
        elif isinstance(v, bytes):  # an address
            data += v.rjust(32, b"\0")
        else:  # a string: offset in the head, length + bytes in the tail
            raw = v.encode()
            data += (head_size + len(tail)).to_bytes(32, "big")
            tail += len(raw).to_bytes(32, "big") + raw.ljust((len(raw) + 31) // 32 * 32, b"\0")
    return data + tail


def addr_bytes(a):
    return bytes.fromhex(a[2:] if a.startswith("0x") else a)


class Node:
    def __init__(self, tester, faults, delay):
        self.t = tester
        self.faults = faults
        self.delay = delay
        self.counts = {}
        self.flaky = {}

    def block(self, tag):
        if tag in ("latest", "earliest", "pending", "safe", "finalized"):
            return tag
        if isinstance(tag, str) and tag.startswith("0x"):
            n = int(tag, 16)
            latest = self.t.get_block_by_number("latest")["number"]
            if n > latest:
                raise RpcError(-32000, "header not found")
            return n
        raise RpcError(-32602, "invalid block tag")

    def count(self, method, address):
        key = f"{method} {address}" if address else method
        self.counts[key] = self.counts.get(key, 0) + 1

    def handle(self, method, params):
        address = None
        if method == "eth_getBalance":
            address = params[0].lower()
        elif method == "eth_call" and params and params[0].get("data", "").startswith("0x70a08231"):
            address = "0x" + params[0]["data"][-40:]
        with LOCK:
            self.count(method, address)
        fault = self.faults.get(address) if address else None
        if fault:
            if fault.startswith("flaky:"):
                with LOCK:
                    left = self.flaky.setdefault(address, int(fault.split(":")[1]))
                    self.flaky[address] = left - 1
                if left > 0:
                    return Raw(503, b"busy, try again")
            elif fault == "stall":
                time.sleep(3600)
            elif fault == "garbage":
                return Raw(200, b"<html>502 Bad Gateway</html>")
            elif fault == "error":
                raise RpcError(-32000, "missing trie node 1f2e3d (path )")
            elif fault == "huge":
                return Raw(200, b'{"jsonrpc":"2.0","id":1,"result":"0x' + b"0" * (20 << 20) + b'"}')
            elif fault == "hugestream":
                return Stream(b'{"jsonrpc":"2.0","id":1,"result":"0x', b"0" * (1 << 20), 20)
            elif fault == "badnumber":
                return "0x" + "f" * 75
        with LOCK:
            if method == "eth_chainId":
                return hex(131277322940537)
            if method == "eth_blockNumber":
                return hex(self.t.get_block_by_number("latest")["number"])
            if method == "eth_getBalance":
                return hex(self.t.get_balance(params[0], block_number=self.block(params[1])))
            if method == "eth_call":
                tx = {"from": params[0].get("from", self.t.get_accounts()[0]), "gas": 200_000, "to": params[0]["to"], "data": params[0].get("data", "0x")}
                out = self.t.call(tx, block_number=self.block(params[1] if len(params) > 1 else "latest"))
                return out if isinstance(out, str) else "0x" + bytes(out).hex()
            if method == "porcheck_requests":
                return dict(self.counts)
        raise RpcError(-32601, "Method not found")


class RpcError(Exception):
    def __init__(self, code, message):
        self.code, self.message = code, message


class Raw:
    def __init__(self, status, body):
        self.status, self.body = status, body


class Stream:
    """An answer with no length: its head, then `count` pieces, ended by closing the connection."""
    def __init__(self, head, piece, count):
        self.head, self.piece, self.count = head, piece, count


def make_handler(node, tls=False):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in one write; without TCP_NODELAY a small second write waits
        # for the client's delayed ACK (40 ms a request), which a real node does not do.
        disable_nagle_algorithm = True
        wbufsize = -1

        def setup(self):
            if tls:
                self.request.settimeout(30)
                self.request.do_handshake()
                self.request.settimeout(None)
            super().setup()

        def log_message(self, *args):
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            if node.delay:
                time.sleep(node.delay)
            try:
                req = json.loads(body)
                rid = req.get("id")
                result = node.handle(req["method"], req.get("params", []))
                if isinstance(result, Raw):
                    return self.send(result.status, result.body)
                if isinstance(result, Stream):
                    return self.stream(result)
                out = {"jsonrpc": "2.0", "id": rid, "result": result}
            except RpcError as e:
                out = {"jsonrpc": "2.0", "id": rid, "error": {"code": e.code, "message": e.message}}
            except Exception as e:  # an eth-tester exception: the node's error answer
                out = {"jsonrpc": "2.0", "id": None, "error": {"code": -32603, "message": f"{type(e).__name__}: {e}"}}
            self.send(200, json.dumps(out).encode())

        def stream(self, s):
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                self.wfile.write(s.head)
                for _ in range(s.count):
                    self.wfile.write(s.piece)
                self.wfile.write(b'"}')
                self.wfile.flush()
            except OSError:  # the client stopped reading (its size cap): that is the point
                pass

        def send(self, status, body):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()

    return Handler


def run_plan(t, plan):
    accounts = t.get_accounts()
    funder = accounts[0]
    tokens, marks, signed = {}, {}, {}
    bytecode = None
    for step in plan:
        op = step["op"]
        if op == "deploy":
            bytecode = bytecode or compile_token()
            data = bytecode + abi_args(step["name"], step["name"], int(step["decimals"])).hex()
            tx = t.send_transaction({"from": funder, "data": data, "gas": 3_000_000})
            tokens[step["name"]] = t.get_transaction_receipt(tx)["contract_address"]
        elif op == "fund":
            t.send_transaction({"from": funder, "to": step["to"], "value": int(step["wei"]), "gas": 21000})
        elif op == "mint":
            data = "0x40c10f19" + abi_args(addr_bytes(step["to"]), int(step["units"])).hex()
            t.send_transaction({"from": funder, "to": tokens[step["token"]], "data": data, "gas": 200_000})
        elif op == "mine":
            t.mine_blocks(int(step["blocks"]))
        elif op == "mark":
            marks[step["name"]] = t.get_block_by_number("latest")["number"]
        elif op == "sign":
            from eth_account import Account
            from eth_account.messages import encode_defunct
            from eth_utils import keccak
            key = int(step["key"]).to_bytes(32, "big")
            account = Account.from_key(key)
            sig = Account.sign_message(encode_defunct(primitive=keccak(text=step["message"])), key)
            signed[account.address.lower()] = "0x" + bytes(sig.signature).hex()
        else:
            raise SystemExit(f"unknown plan step {op}")
    return tokens, marks, signed


def bench_chain(n, list_path, config_path, port_holder):
    from eth_tester.backends.pyevm.main import get_default_account_state
    state = {}
    rows = []
    for i in range(n):
        a = (0x5000000000000000000000000000000000000000 + i).to_bytes(20, "big")
        wei = (i + 1) * 10**15 + i
        state[a] = get_default_account_state(overrides={"balance": wei})
        whole, frac = divmod(wei, 10**18)
        rows.append(("0x" + a.hex(), f"{whole}.{frac:018d}".rstrip("0").rstrip(".")))
    t = EthereumTester(PyEVMBackend(genesis_state=state))
    t.mine_blocks(3)
    snapshot = 2
    with open(list_path, "w") as f:
        total = 0
        f.write("coin,snapshot height,amount\n")
        f.write("\n")
        f.write("coin,Network,Snapshot Height,address,amount,message,signature1,signature2,redeem script/ public key, eoa1, eoa2\n")
        for address, amount in rows:
            f.write(f"ETH,ETH,{snapshot},{address},{amount},I am an OKX address,,,,,\n")
    port_holder["write_config"] = config_path
    return t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plan")
    ap.add_argument("--faults")
    ap.add_argument("--delay", type=float, default=0)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--accounts", type=int)
    ap.add_argument("--write-list")
    ap.add_argument("--write-config")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    args = ap.parse_args()
    holder = {}
    tokens, marks, signed = {}, {}, {}
    if args.accounts:
        t = bench_chain(args.accounts, args.write_list, args.write_config, holder)
    else:
        t = EthereumTester(PyEVMBackend())
        with open(args.plan) as f:
            tokens, marks, signed = run_plan(t, json.load(f))
    faults = {}
    if args.faults:
        with open(args.faults) as f:
            faults = {k.lower(): v for k, v in json.load(f).items()}
    node = Node(t, faults, args.delay)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(node, tls=bool(args.tls_cert)))
    server.daemon_threads = True
    if args.tls_cert:
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        # The handshake runs in the connection's own thread (Handler.setup), so a client that
        # refuses the certificate, or stalls, does not hold up the accept loop.
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        # A refused certificate or a client that goes away is the test's point, not a traceback.
        server.handle_error = lambda request, address: None
    port = server.server_address[1]
    if args.write_config:
        with open(args.write_config, "w") as f:
            json.dump({"nodes": [{"coin": "ETH", "kind": "evm", "url": f"http://127.0.0.1:{port}",
                                  "concurrency": args.concurrency}]}, f)

    def watchdog():
        # The test (or script) that started us holds our standard input open.
        try:
            sys.stdin.buffer.read()
        finally:
            os._exit(0)

    threading.Thread(target=watchdog, daemon=True).start()
    print(json.dumps({"port": port, "chain_id": 131277322940537, "marks": marks, "tokens": tokens, "signed": signed}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

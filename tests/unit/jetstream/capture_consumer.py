#!/usr/bin/env python3
"""Captures consumer API traffic from the reference nats-server 2.9.10 and
writes captures_consumer.h for test_consumer_json.c / test_consumer_check.c.

Usage: capture_consumer.py [nats-server binary] > captures_consumer.h
Runs the server on 127.0.0.1 with a free port and a temporary store, speaks
the raw client protocol, and kills the server at the end. Re-run it (and the
tests) whenever a capture is in doubt; never edit the output by hand.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else '/usr/sbin/nats-server'


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Server:
    def __init__(self, conf=None):
        self.dir = tempfile.mkdtemp(prefix='gn-capc')
        self.port = free_port()
        args = [BIN, '-js', '-sd', self.dir, '-a', '127.0.0.1', '-p', str(self.port)]
        if conf:
            path = os.path.join(self.dir, 's.conf')
            with open(path, 'w') as f:
                f.write(conf)
            args += ['-c', path]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                socket.create_connection(('127.0.0.1', self.port)).close()
                return
            except OSError:
                time.sleep(0.025)
        raise RuntimeError('server did not start')

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(('127.0.0.1', port))
        self.buf = b''
        self.msgs = []
        self.sid = 0
        self.line()
        self.s.sendall(b'CONNECT {"verbose":false,"pedantic":false,"headers":true,'
                       b'"no_responders":true,"protocol":1}\r\nPING\r\n')
        while self.line() != b'PONG':
            pass

    def fill(self, timeout):
        self.s.settimeout(max(timeout, 0.001))
        try:
            d = self.s.recv(65536)
        except socket.timeout:
            return False
        if not d:
            raise EOFError
        self.buf += d
        return True

    def line(self, timeout=5):
        while b'\r\n' not in self.buf:
            if not self.fill(timeout):
                return None
        l, self.buf = self.buf.split(b'\r\n', 1)
        return l

    def take(self, n):
        while len(self.buf) < n + 2:
            self.fill(5)
        d, self.buf = self.buf[:n], self.buf[n + 2:]
        return d

    def pump(self, timeout):
        l = self.line(timeout)
        if l is None:
            return False
        p = l.split()
        if p[0] == b'PING':
            self.s.sendall(b'PONG\r\n')
        elif p[0] == b'MSG':
            d = self.take(int(p[-1]))
            self.msgs.append(dict(subject=p[1].decode(), sid=p[2].decode(),
                                  reply=p[3].decode() if len(p) == 5 else None, hdr=b'', data=d))
        elif p[0] == b'HMSG':
            h, t = int(p[-2]), int(p[-1])
            d = self.take(t)
            self.msgs.append(dict(subject=p[1].decode(), sid=p[2].decode(),
                                  reply=p[3].decode() if len(p) == 6 else None, hdr=d[:h],
                                  data=d[h:]))
        return True

    def sub(self, subj):
        self.sid += 1
        self.s.sendall(('SUB %s %d\r\n' % (subj, self.sid)).encode())
        return str(self.sid)

    def unsub(self, sid):
        self.s.sendall(('UNSUB %s\r\n' % sid).encode())

    def pub(self, subj, data=b'', reply=None):
        if isinstance(data, str):
            data = data.encode()
        r = (' ' + reply) if reply else ''
        self.s.sendall(b'PUB %s%s %d\r\n' % (subj.encode(), r.encode(), len(data)) + data +
                       b'\r\n')

    def next(self, sid=None, timeout=3.0):
        end = time.time() + timeout
        while True:
            for i, m in enumerate(self.msgs):
                if sid is None or m['sid'] == sid:
                    return self.msgs.pop(i)
            left = end - time.time()
            if left <= 0 or not self.pump(left):
                return None

    def request(self, subj, data=b'', timeout=3.0):
        sid = self.sub('_INBOX.capc%d' % (self.sid + 1))
        self.pub(subj, data, '_INBOX.capc%d' % self.sid)
        m = self.next(sid, timeout)
        self.unsub(sid)
        return m

    def api(self, subj, data=b''):
        if isinstance(data, (dict, list)):
            data = json.dumps(data, separators=(',', ':'))
        m = self.request('$JS.API.' + subj, data)
        return m['data'].decode() if m else None


OUT = []


def emit(name, value):
    OUT.append('static const char %s[] =\n%s;' % (name, cstr(value)))


def cstr(v, indent='    '):
    if isinstance(v, bytes):
        v = v.decode('utf-8', 'surrogateescape')
    e = ''
    for ch in v:
        o = ord(ch)
        if ch == '"' or ch == '\\':
            e += '\\' + ch
        elif ch == '\r':
            e += '\\r'
        elif ch == '\n':
            e += '\\n'
        elif o < 0x20 or o == 0x7f or 0xdc80 <= o <= 0xdcff:
            e += '\\%03o' % (o - 0xdc00 if o >= 0xdc00 else o)
        elif o >= 0x80:
            e += ''.join('\\%03o' % b for b in ch.encode())
        else:
            e += ch
    parts, cur = [], ''
    i = 0
    while i < len(e):
        n = 1
        if e[i] == '\\':
            n = 4 if e[i + 1] in '01234567' else 2
        if len(cur) + n > 88:
            parts.append(cur)
            cur = ''
        cur += e[i:i + n]
        i += n
    parts.append(cur)
    return '\n'.join(indent + '"' + p + '"' for p in parts)


def emit_rows(name, kind, rows):
    body = ',\n'.join('    {\n' + ',\n'.join(cstr(x, '        ') for x in r) + '}' for r in rows)
    OUT.append('static const struct %s %s[] = {\n%s,\n};' % (kind, name, body))


def create_rows(c, lines):
    """Each line 'SUBJ BODY': response (or "" for no answer); a consumer that
    got created is deleted again so every row starts from the same state."""
    rows = []
    for l in lines:
        subj, body = l.split(' ', 1)
        m = c.request('$JS.API.CONSUMER.' + subj, body, timeout=1.0)
        resp = m['data'].decode() if m else ''
        if resp.startswith('{') and '"error"' not in resp:
            j = json.loads(resp)
            c.api('CONSUMER.DELETE.%s.%s' % (j['stream_name'], j['name']))
        rows.append((subj, body, resp))
    return rows


DESC4097 = 'x' * 4097
CREATE_LINES = [
    # successes: config encodings and defaults
    'DURABLE.CREATE.S.full {"stream_name":"S","config":{"durable_name":"full","description":'
    '"d<>&","deliver_policy":"by_start_time","opt_start_time":"2026-01-01T00:00:00.5+02:00",'
    '"ack_policy":"explicit","ack_wait":2000000000,"max_deliver":5,"backoff":[1000000000,'
    '2000000000],"filter_subject":"s.x","replay_policy":"original","rate_limit_bps":1000,'
    '"sample_freq":"50%","max_ack_pending":10,"idle_heartbeat":1000000000,"flow_control":true,'
    '"headers_only":true,"deliver_subject":"dd","deliver_group":"gg","inactive_threshold":'
    '3000000000,"num_replicas":1,"mem_storage":true}}',
    'CREATE.S.pull {"stream_name":"S","config":{"name":"pull","ack_policy":"all","max_waiting":7,'
    '"max_batch":3,"max_expires":4000000000,"max_bytes":1000,"deliver_policy":"by_start_sequence",'
    '"opt_start_seq":4}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_subject":"x","direct":true}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_subject":"y","ack_policy":"none",'
    '"idle_heartbeat":-5}}',
    'CREATE.S {"stream_name":"S"}',
    'CREATE.S {"stream_name":"S","config":null}',
    'CREATE.S {"stream_name":"S","config":{"name":"a/b"}}',
    'CREATE.S.lps {"stream_name":"S","config":{"deliver_policy":"last_per_subject",'
    '"filter_subject":"s.*","ack_policy":"explicit"}}',
    'CREATE.S.und {"stream_name":"S","config":{"deliver_policy":"undefined","Ack_Policy":'
    '"explicit","BOGUS":[1]}}',
    'CREATE.S.a.s.x {"stream_name":"S","config":{"name":"zz","filter_subject":"s.x",'
    '"durable_name":"a"}}',
    'CREATE.S.a3 {"stream_name":"S","config":{"durable_name":"a3","name":"zz"}}',
    'CREATE.S.wide {"stream_name":"S","config":{"filter_subject":">","ack_wait":-5,'
    '"max_deliver":-5,"max_bytes":-1,"inactive_threshold":-5,"sample_freq":"+5%"}}',
    'CREATE.S.bo {"stream_name":"S","config":{"backoff":[-1,null],"max_deliver":3,'
    '"max_ack_pending":-1,"ack_policy":"explicit"}}',
    'CREATE.S.mx {"stream_name":"S","config":{"max_expires":1000000,"sample_freq":"150"}}',
    'DURABLE.CREATE.S.dur {"stream_name":"S","config":{"durable_name":"dur","inactive_threshold":'
    '-5,"deliver_subject":"dd2","idle_heartbeat":100000000}}',
    'CREATE.S.t0 {"stream_name":"S","config":{"deliver_policy":"by_start_time","opt_start_time":'
    '"0001-01-01T00:00:00Z"}}',
    # handler errors
    'CREATE.S ',
    'CREATE.S []',
    'CREATE.S null',
    'CREATE.S {"stream_name":"S","config":5}',
    'CREATE.S {"stream_name":"S","config":{"deliver_policy":"Last"}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_policy":null}}',
    'CREATE.S {"stream_name":"S","config":{"ack_policy":"l\\u0061st"}}',
    'CREATE.S {"stream_name":"S","config":{"max_deliver":1.5}}',
    'CREATE.S {"stream_name":"S","config":{"backoff":["1s"]}}',
    'CREATE.S {"stream_name":"X","config":{"num_replicas":3}}',
    'CREATE.S {"config":{}}',
    'CREATE.S.a/b {"stream_name":"X","config":{}}',
    'CREATE.S.a/b {"stream_name":"S","config":{"durable_name":"zz","num_replicas":3}}',
    'CREATE.S.a\\b {"stream_name":"S","config":{}}',
    'DURABLE.CREATE.S.d/x {"stream_name":"S","config":{}}',
    'DURABLE.CREATE.S.d {"stream_name":"S","config":{"name":"d"}}',
    'DURABLE.CREATE.S.d {"stream_name":"S","config":{"durable_name":"e"}}',
    'CREATE.S.a {"stream_name":"S","config":{"durable_name":"b"}}',
    'CREATE.S.a.s.x {"stream_name":"S","config":{"durable_name":"zz"}}',
    'CREATE.S {"stream_name":"S","config":{"name":"a","durable_name":"b"}}',
    'CREATE.S.a.s.y {"stream_name":"S","config":{"num_replicas":3}}',
    'CREATE.S.a.s.x {"stream_name":"S","config":{}}',
    'CREATE.S.a.s.x {"stream_name":"S","config":{"name":"q","filter_subject":"s.y"}}',
    'CREATE.S.a.s.x {"stream_name":"S","config":{"filter_subject":"s.x","num_replicas":3}}',
    'CREATE.S {"stream_name":"S","config":{"num_replicas":3,"durable_name":"x"}}',
    'CREATE.T {"stream_name":"T","config":{"num_replicas":-1,"flow_control":true}}',
    'DURABLE.CREATE.T.d {"stream_name":"T","config":{"durable_name":"d"}}',
    'DURABLE.CREATE.S.d.x {"stream_name":"S","config":{"durable_name":"d"}}',
    'DURABLE.CREATE.S {"stream_name":"S","config":{"durable_name":"d"}}',
    # checkConsumerCfg, in order
    'CREATE.S {"stream_name":"S","config":{"num_replicas":-1,"backoff":[1]}}',
    'CREATE.S {"stream_name":"S","config":{"backoff":[1],"description":"DESC4097"}}',
    'CREATE.S {"stream_name":"S","config":{"backoff":[1000000000]}}',
    'CREATE.S {"stream_name":"S","config":{"description":"DESC4097","deliver_subject":"a.*"}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_subject":"s.>","max_ack_pending":4}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_subject":"a..b","max_waiting":4}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_subject":"s.x","max_waiting":4}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_subject":"d","max_waiting":-4,'
    '"max_ack_pending":4}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_subject":"d","max_ack_pending":4,'
    '"idle_heartbeat":5}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_subject":"d","idle_heartbeat":99999999,'
    '"direct":true,"filter_subject":"x"}}',
    'CREATE.W {"stream_name":"W","config":{"ack_policy":"none","rate_limit_bps":1}}',
    'CREATE.S {"stream_name":"S","config":{"rate_limit_bps":5,"max_waiting":-1}}',
    'CREATE.S {"stream_name":"S","config":{"max_waiting":-1,"idle_heartbeat":5}}',
    'CREATE.S {"stream_name":"S","config":{"idle_heartbeat":5,"flow_control":true}}',
    'CREATE.S {"stream_name":"S","config":{"flow_control":true,"max_batch":-1}}',
    'CREATE.S {"stream_name":"S","config":{"max_batch":-1,"max_expires":5}}',
    'CREATE.S {"stream_name":"S","config":{"max_expires":-1,"direct":true}}',
    'CREATE.S {"stream_name":"S","config":{"direct":true,"filter_subject":"x"}}',
    'DURABLE.CREATE.S.x {"stream_name":"S","config":{"direct":true,"deliver_subject":"d",'
    '"durable_name":"x","filter_subject":"x"}}',
    'CREATE.S {"stream_name":"S","config":{"filter_subject":"x","deliver_policy":"new",'
    '"opt_start_seq":1}}',
    'CREATE.S {"stream_name":"S","config":{"filter_subject":"s"}}',
    'CREATE.S {"stream_name":"S","config":{"filter_subject":"s..x"}}',
    'CREATE.S {"stream_name":"S","config":{"filter_subject":"*.x"}}',
    'CREATE.S.n.* {"stream_name":"S","config":{"filter_subject":"*"}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_policy":"all","opt_start_seq":3,'
    '"sample_freq":"x"}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_policy":"all","opt_start_time":'
    '"2026-01-01T00:00:00Z"}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_policy":"last","opt_start_seq":3}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_policy":"last","opt_start_time":'
    '"2026-01-01T00:00:00Z"}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_policy":"last_per_subject","opt_start_seq":3}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_policy":"last_per_subject","opt_start_time":'
    '"2026-01-01T00:00:00Z"}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_policy":"last_per_subject"}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_policy":"new","opt_start_seq":3}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_policy":"new","opt_start_time":'
    '"2026-01-01T00:00:00Z"}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_policy":"by_start_sequence"}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_policy":"by_start_sequence","opt_start_seq":'
    '3,"opt_start_time":"2026-01-01T00:00:00Z"}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_policy":"by_start_time"}}',
    'CREATE.S {"stream_name":"S","config":{"deliver_policy":"by_start_time","opt_start_seq":3,'
    '"opt_start_time":"2026-01-01T00:00:00Z"}}',
    'CREATE.S {"stream_name":"S","config":{"sample_freq":"x%","flow_control":true,'
    '"deliver_subject":"d"}}',
    'CREATE.S {"stream_name":"S","config":{"sample_freq":"-5%"}}',
    'CREATE.S {"stream_name":"S","config":{"sample_freq":"%"}}',
    'CREATE.S {"stream_name":"S","config":{"sample_freq":"5%%"}}',
    'CREATE.S {"stream_name":"S","config":{"sample_freq":" 5"}}',
    'CREATE.S {"stream_name":"S","config":{"sample_freq":"99999999999999999999"}}',
    'CREATE.S {"stream_name":"S","config":{"sample_freq":"9999999999999999999x"}}',
    'CREATE.S {"stream_name":"S","config":{"sample_freq":"-9223372036854775809"}}',
    'CREATE.S {"stream_name":"S","config":{"sample_freq":"<\\"&>"}}',
    'CREATE.S {"stream_name":"S","config":{"flow_control":true,"deliver_subject":"d",'
    '"name":"a.b"}}',
    'DURABLE.CREATE.S.d2 {"stream_name":"S","config":{"durable_name":"d2","name":"q",'
    '"ack_policy":"bogus"}}',
    'DURABLE.CREATE.S.d2 {"stream_name":"S","config":{"durable_name":"d2","name":"q"}}',
    # after the config checks
    'CREATE.W {"stream_name":"W","config":{"ack_policy":"all","name":"a.b"}}',
    'CREATE.W {"stream_name":"W","config":{"ack_policy":"none","deliver_subject":"d"}}',
    'CREATE.W {"stream_name":"W","config":{"ack_policy":"explicit","deliver_policy":"last",'
    '"name":"a.b"}}',
    'CREATE.S {"stream_name":"S","config":{"name":"*"}}',
    'CREATE.S {"stream_name":"S","config":{"name":"a b"}}',
    'CREATE.S.* {"stream_name":"S","config":{}}',
    'DURABLE.CREATE.S.NAMELONG {"stream_name":"S","config":{"durable_name":"NAMELONG"}}',
]


def capture_creates(c):
    c.api('STREAM.CREATE.S', {'name': 'S', 'subjects': ['s.>']})
    c.api('STREAM.CREATE.W', {'name': 'W', 'subjects': ['w.>'], 'retention': 'workqueue'})
    lines = [l.replace('DESC4097', DESC4097).replace('NAMELONG', 'n' * 256) for l in CREATE_LINES]
    emit_rows('CAPC_CREATE_ROWS', 'capc_row', create_rows(c, lines))


def capture_sequences(c):
    """State-dependent outcomes: workqueue filters, max consumers, updates."""
    c.api('STREAM.CREATE.WQ', {'name': 'WQ', 'subjects': ['wq.>'], 'retention': 'workqueue'})
    c.api('STREAM.CREATE.M', {'name': 'M', 'subjects': ['m.>'], 'max_consumers': 1})
    c.api('STREAM.CREATE.O', {'name': 'O', 'subjects': ['o.>']})
    c.api('STREAM.CREATE.MI', {'name': 'MI', 'mirror': {'name': 'O'}})
    c.api('STREAM.CREATE.MI2', {'name': 'MI2', 'mirror': {'name': 'MI'}})
    c.api('STREAM.CREATE.SO', {'name': 'SO', 'subjects': ['so.>'],
                               'sources': [{'name': 'MI', 'filter_subject': 'o.y'},
                                           {'name': 'nonexist'}]})
    c.api('STREAM.CREATE.SX', {'name': 'SX', 'subjects': ['sx.>'],
                               'sources': [{'name': 'O', 'external': {'api': '$JS.x.API',
                                                                      'deliver': 'dx'}}]})
    c.sub('bound')
    seq = []
    for l in SEQ_LINES:
        subj, body = l.split(' ', 1)
        m = c.request('$JS.API.CONSUMER.' + subj, body, timeout=1.0)
        seq.append((subj, body, m['data'].decode() if m else ''))
    emit_rows('CAPC_SEQ_ROWS', 'capc_row', seq)


E = '"ack_policy":"explicit"'
SEQ_LINES = [
    'CREATE.WQ.a {"stream_name":"WQ","config":{%s,"filter_subject":"wq.*.bar"}}' % E,
    'CREATE.WQ.b {"stream_name":"WQ","config":{%s,"filter_subject":"wq.>"}}' % E,
    'CREATE.WQ.b {"stream_name":"WQ","config":{%s,"filter_subject":"wq.x.bar"}}' % E,
    'CREATE.WQ.c {"stream_name":"WQ","config":{%s,"filter_subject":"wq.x.*"}}' % E,
    'CREATE.WQ.d {"stream_name":"WQ","config":{%s,"filter_subject":"wq.x.*"}}' % E,
    'CREATE.WQ.e {"stream_name":"WQ","config":{%s}}' % E,
    'CREATE.WQ.f {"stream_name":"WQ","config":{%s,"filter_subject":"wq.y","deliver_policy":"new"}}'
    % E,
    'CREATE.WQ.g {"stream_name":"WQ","config":{%s,"filter_subject":"wq.*.bar","direct":true,'
    '"deliver_subject":"dq"}}' % E,
    'CREATE.WQ.a {"stream_name":"WQ","config":{%s,"filter_subject":"wq.>","description":"u"}}' % E,
    'CREATE.M.a {"stream_name":"M","config":{%s}}' % E,
    'CREATE.M.b {"stream_name":"M","config":{%s,"flow_control":true}}' % E,
    'CREATE.M.b {"stream_name":"M","config":{%s,"name":"b.c"}}' % E,
    'CREATE.M.a {"stream_name":"M","config":{%s,"description":"y"}}' % E,
    'CREATE.MI2.a {"stream_name":"MI2","config":{"filter_subject":"o.x"}}',
    'CREATE.MI2.b {"stream_name":"MI2","config":{"filter_subject":"p.x"}}',
    'CREATE.SO.a {"stream_name":"SO","config":{"filter_subject":"o.x"}}',
    'CREATE.SO.b {"stream_name":"SO","config":{"filter_subject":"so.x"}}',
    'CREATE.SO.c {"stream_name":"SO","config":{"filter_subject":"p.x"}}',
    'CREATE.SX.c {"stream_name":"SX","config":{"filter_subject":"p.x"}}',
    # updates of a durable push consumer
    'DURABLE.CREATE.O.d {"stream_name":"O","config":{"durable_name":"d",%s,'
    '"deliver_subject":"dd"}}' % E,
    'DURABLE.CREATE.O.d {"stream_name":"O","config":{"durable_name":"d",%s,'
    '"deliver_subject":"dd"}}' % E,
] + [
    'DURABLE.CREATE.O.d {"stream_name":"O","config":{"durable_name":"d",%s,'
    '"deliver_subject":"dd",%s}}' % (E, kv) for kv in [
        '"deliver_policy":"new"', '"ack_wait":1000000000', '"replay_policy":"original"',
        '"idle_heartbeat":1000000000', '"flow_control":true,"idle_heartbeat":1000000000',
        '"max_deliver":3', '"backoff":[1000000000,2000000000]', '"description":"x"',
        '"max_ack_pending":5', '"filter_subject":"o.x"', '"rate_limit_bps":100',
        '"sample_freq":"10%"', '"headers_only":true', '"deliver_group":"g"',
        '"inactive_threshold":7000000000', '"num_replicas":1', '"mem_storage":true',
        '"max_batch":3', '"name":"d"']
] + [
    'DURABLE.CREATE.O.d {"stream_name":"O","config":{"durable_name":"d",%s,'
    '"deliver_subject":"ee"}}' % E,
    'DURABLE.CREATE.O.d {"stream_name":"O","config":{"durable_name":"d",%s}}' % E,
    'DURABLE.CREATE.O.p {"stream_name":"O","config":{"durable_name":"p",%s}}' % E,
    'DURABLE.CREATE.O.p {"stream_name":"O","config":{"durable_name":"p",%s,'
    '"deliver_subject":"zz"}}' % E,
    'DURABLE.CREATE.O.p {"stream_name":"O","config":{"durable_name":"p",%s,"max_waiting":100}}'
    % E,
    'DURABLE.CREATE.O.p {"stream_name":"O","config":{"durable_name":"p",%s,"backoff":[1],'
    '"max_deliver":5}}' % E,
    'DURABLE.CREATE.O.t {"stream_name":"O","config":{"durable_name":"t","deliver_policy":'
    '"by_start_time","opt_start_time":"2026-01-01T00:00:00Z"}}',
    'DURABLE.CREATE.O.t {"stream_name":"O","config":{"durable_name":"t","deliver_policy":'
    '"by_start_time","opt_start_time":"2026-01-01T00:00:00.000Z"}}',
    'DURABLE.CREATE.O.t {"stream_name":"O","config":{"durable_name":"t","deliver_policy":'
    '"by_start_time","opt_start_time":"2026-01-01T00:00:00Z","description":"x"}}',
    'CREATE.O.e {"stream_name":"O","config":{"deliver_policy":"by_start_time","opt_start_time":'
    '"2026-01-01T00:00:00Z"}}',
    'CREATE.O.e {"stream_name":"O","config":{"deliver_policy":"by_start_time","opt_start_time":'
    '"2026-01-01T00:00:00Z"}}',
    'CREATE.O.e {"stream_name":"O","config":{"deliver_policy":"by_start_time","opt_start_time":'
    '"2026-01-01T00:00:00Z","inactive_threshold":5000000000}}',
    'CREATE.O.f {"stream_name":"O","config":{%s}}' % E,
    'CREATE.O.f {"stream_name":"O","config":{%s,"durable_name":"f"}}' % E,
    'DURABLE.CREATE.O.b {"stream_name":"O","config":{"durable_name":"b","deliver_subject":'
    '"bound"}}',
    'DURABLE.CREATE.O.b {"stream_name":"O","config":{"durable_name":"b","deliver_subject":'
    '"bound2"}}',
]


def capture_limits():
    s = Server('jetstream { limits { max_ack_pending: 100, max_request_batch: 50 } }')
    try:
        c = Conn(s.port)
        c.api('STREAM.CREATE.S', {'name': 'S', 'subjects': ['s.>']})
        lines = ['CREATE.S.%s {"stream_name":"S","config":%s}' % (n, cfg) for n, cfg in [
            ('a', '{%s}' % E), ('b', '{%s,"max_ack_pending":101}' % E),
            ('c', '{%s,"max_batch":51}' % E), ('d', '{"max_batch":50,"max_ack_pending":100}'),
            ('e', '{"deliver_subject":"dd","ack_policy":"all","max_ack_pending":101}'),
            ('g', '{"max_batch":51,"max_ack_pending":101}'), ('h', '{"max_ack_pending":101}'),
            ('i', '{"deliver_subject":"dd","max_batch":51}')]]
        emit_rows('CAPC_LIMIT_ROWS', 'capc_row', create_rows(c, lines))
    finally:
        s.stop()


def capture_info_and_lists(c):
    c.api('STREAM.CREATE.I', {'name': 'I', 'subjects': ['i.>']})
    emit('CAPC_NAMES_EMPTY', c.api('CONSUMER.NAMES.I'))
    emit('CAPC_LIST_EMPTY', c.api('CONSUMER.LIST.I'))
    for i in range(3):
        c.request('i.a', 'hello%d' % i)
    sid = c.sub('dlv')
    r = c.api('CONSUMER.CREATE.I', {'stream_name': 'I', 'config': {'deliver_subject': 'dlv',
                                                                   'ack_policy': 'explicit'}})
    emit('CAPC_INFO_CREATE_PUSH', r)
    name = json.loads(r)['name']
    time.sleep(0.3)
    ms = [c.next(sid) for _ in range(3)]
    emit('CAPC_ACK_REPLY_1', ms[0]['reply'])
    emit('CAPC_ACK_REPLY_3', ms[2]['reply'])
    emit('CAPC_INFO_PUSH_DELIVERED', c.api('CONSUMER.INFO.I.' + name))
    c.pub(ms[0]['reply'], '+ACK')
    time.sleep(0.2)
    emit('CAPC_INFO_PUSH_ACKED', c.api('CONSUMER.INFO.I.' + name))
    c.api('CONSUMER.CREATE.I.pl', {'stream_name': 'I', 'config': {'ack_policy': 'explicit'}})
    inbox = c.sub('pin')
    c.pub('$JS.API.CONSUMER.MSG.NEXT.I.pl', '{"batch":5,"expires":30000000000}', 'pin')
    for _ in range(3):
        c.next(inbox)
    emit('CAPC_INFO_PULL_WAITING', c.api('CONSUMER.INFO.I.pl'))
    emit('CAPC_NAMES', c.api('CONSUMER.NAMES.I'))
    emit('CAPC_NAMES_OFFSET', c.api('CONSUMER.NAMES.I', '{"offset":1}'))
    emit('CAPC_NAMES_PAST_END', c.api('CONSUMER.NAMES.I', '{"offset":10}'))
    emit('CAPC_NAMES_BAD', c.api('CONSUMER.NAMES.I', '{"offset":"x"}'))
    emit('CAPC_NAMES_404', c.api('CONSUMER.NAMES.T'))
    emit('CAPC_LIST_OFFSET', c.api('CONSUMER.LIST.I', '{"offset":1}'))
    emit('CAPC_LIST_BAD', c.api('CONSUMER.LIST.I', '[]'))
    emit('CAPC_LIST_404', c.api('CONSUMER.LIST.T'))
    emit('CAPC_INFO_404', c.api('CONSUMER.INFO.I.zz'))
    emit('CAPC_INFO_STREAM_404', c.api('CONSUMER.INFO.T.zz'))
    emit('CAPC_INFO_NOT_EMPTY', c.api('CONSUMER.INFO.I.pl', 'x'))
    emit('CAPC_DELETE_404', c.api('CONSUMER.DELETE.I.zz'))
    emit('CAPC_DELETE_NOT_EMPTY', c.api('CONSUMER.DELETE.I.pl', 'x'))
    emit('CAPC_DELETE_OK', c.api('CONSUMER.DELETE.I.pl'))


PULL_BODIES = [
    '', '{}', '{"batch":0}', '{"batch":-1}', '0', '-3', ' 2 ', '2x', '+2', '\xc2\xa02\xc2\xa0',
    '{"Batch":2}', '{"BATCH":2,"bogus":[1,{"a":2}]}', '{"batch":1,"batch":2}',
    '{"b\\u0061tch":2}', '{"expires":-1,"batch":1}', '{"max_bytes":-5,"batch":1}',
    '{"idle_heartbeat":-5}', '{"batch":null,"no_wait":null}',
    '{"batch":"x","batch":2}', '{"batch":1.5}', '{"batch":1e1}', '{"batch":-0}',
    '{"batch":99999999999999999999}', '{"batch":true}', '{"batch":[1]}', '{"batch":{"a":1}}',
    '{"batch":null,"expires":"x"}', '{"no_wait":1}', '{"no_wait":"true"}', '{"expires":1.0}',
    '{"max_bytes":false}', '{"idle_heartbeat":[]}',
    '{"batch":2}x', '{"batch":2} {"batch":3}', '{"batch":', '{"batch":2,}', '{"batch":tru}',
    '{"batch":fals}', '{"batch":nul}', '{"batch":-}', '{"batch":01}', '{"batch":1.}',
    '{"batch":1e}', '{"batch":1e+}', '{"batch":"\\x"}', '{"batch":"\\u12"}', '{\x01}',
    '{"batch":2\xc3\xa9}', '{"batch":2\x80}', '{"batch":2\'}', '{"batch":2"}', '{"a"}',
    '{"a":1 "b":2}', '{"a":[1 2]}', '{"a":[1,]}', '{"a":"\x01"}', '{:1}', '{"a":\t}',
    '{"idle_heartbeat":100000000}', '{"idle_heartbeat":100,"expires":199}',
    '{"idle_heartbeat":100,"expires":200}', '{"batch":[[[[[]]]]]}', '{"a":[]}',
    '{"a":\x7f}', '{"a":\xad}', '{"a":\xa0}', '{"a":\\}', '{"a":\x0b}', '{"a":[]]}',
    '{"a":"\x7f\xff"}', '{"idle_heartbeat":1,"expires":5,"EXPIRE\xc5\xbf":1}',
    '{"idle_heartbeat":1,"expires":5,"EXPIRE\xc5\xbfX":1}', '{"batch":"\\ud800"}',
]


def capture_pulls(c):
    c.api('STREAM.CREATE.P', {'name': 'P', 'subjects': ['p.>']})
    for i in range(3):
        c.request('p.a', 'm%d' % i)
    inb = c.sub('in.>')
    rows = []
    for n, body in enumerate(PULL_BODIES):
        name = 'c%d' % n
        c.api('CONSUMER.CREATE.P.' + name, {'stream_name': 'P',
                                             'config': {'ack_policy': 'explicit'}})
        raw = body.encode('latin-1')
        c.pub('$JS.API.CONSUMER.MSG.NEXT.P.' + name, raw, 'in.' + name)
        m = c.next(inb, 0.5)
        # A delivered message means the request was accepted.
        rows.append((raw, m['hdr'] if m and m['hdr'].startswith(b'NATS/1.0 4') else b''))
        c.api('CONSUMER.DELETE.P.' + name)
        while c.next(inb, 0.05):
            pass
    OUT.append('static const struct capc_pull CAPC_PULL_ROWS[] = {\n%s,\n};' % ',\n'.join(
        '    {\n%s,\n%s}' % (cstr(a, '        '), cstr(b, '        ')) for a, b in rows))


def capture_statuses(c):
    c.api('STREAM.CREATE.Q', {'name': 'Q', 'subjects': ['q.>']})
    c.api('CONSUMER.CREATE.Q.p', {'stream_name': 'Q', 'config': {
        'ack_policy': 'explicit', 'max_batch': 5, 'max_expires': 2500000000,
        'max_bytes': 1000, 'max_waiting': 1}})
    inb = c.sub('st.>')

    def pull(body, reply):
        c.pub('$JS.API.CONSUMER.MSG.NEXT.Q.p', body, reply)
        m = c.next(inb, 1.0)
        return m['hdr'] if m else b''
    emit('CAPC_ST_NO_MESSAGES', pull('{"no_wait":true}', 'st.a'))
    emit('CAPC_ST_MAX_BATCH', pull('{"batch":6}', 'st.a'))
    emit('CAPC_ST_MAX_EXPIRES', pull('{"batch":1,"expires":3000000000}', 'st.a'))
    emit('CAPC_ST_MAX_BYTES', pull('{"batch":1,"max_bytes":2000}', 'st.a'))
    emit('CAPC_ST_HB_TOO_LARGE', pull('{"expires":2000000000,"idle_heartbeat":1000000001}',
                                      'st.a'))
    emit('CAPC_ST_HEARTBEAT', pull('{"expires":500000000,"idle_heartbeat":100000000}', 'st.b'))
    m = c.next(inb, 1.0)
    while m and b'Heartbeat' in m['hdr']:
        m = c.next(inb, 1.0)
    emit('CAPC_ST_TIMEOUT', m['hdr'])
    c.pub('$JS.API.CONSUMER.MSG.NEXT.Q.p', '{"batch":2,"expires":1000000000}', 'st.c')
    emit('CAPC_ST_MAX_WAITING', pull('{"batch":1,"expires":1000000000}', 'st.d'))
    c.api('CONSUMER.DELETE.Q.p')
    emit('CAPC_ST_DELETED', c.next(inb, 1.0)['hdr'])
    c.request('q.a', 'x' * 200)
    c.request('q.b', 'y')
    c.api('CONSUMER.CREATE.Q.m', {'stream_name': 'Q', 'config': {'ack_policy': 'explicit'}})
    c.pub('$JS.API.CONSUMER.MSG.NEXT.Q.m', '{"batch":2,"expires":500000000,"max_bytes":100}',
          'st.e')
    emit('CAPC_ST_MSG_SIZE', c.next(inb, 1.0)['hdr'])
    c.pub('$JS.API.CONSUMER.MSG.NEXT.Q.m', '{"batch":3,"expires":300000000,"max_bytes":300}',
          'st.f')
    m = c.next(inb, 1.0)
    while m and not m['hdr'].startswith(b'NATS/1.0 408'):
        m = c.next(inb, 1.0)
    emit('CAPC_ST_TIMEOUT_BYTES', m['hdr'])
    c.api('CONSUMER.CREATE.Q.push', {'stream_name': 'Q', 'config': {
        'deliver_subject': 'pushq', 'idle_heartbeat': 200000000, 'flow_control': True}})
    psid = c.sub('pushq')
    c.pub('$JS.API.CONSUMER.MSG.NEXT.Q.push', '', 'st.g')
    emit('CAPC_ST_PUSH_BASED', c.next(inb, 1.0)['hdr'])
    for _ in range(40):
        c.pub('q.big', 'z' * 100000)
    fc = hb = None
    end = time.time() + 5
    while time.time() < end and not (fc and hb):
        m = c.next(psid, 1.0)
        if m is None:
            break
        if b'FlowControl' in m['hdr']:
            fc = m
        elif fc and b'Stalled' in m['hdr']:
            hb = m
    emit('CAPC_ST_FLOW_CONTROL', fc['hdr'])
    emit('CAPC_ST_FLOW_CONTROL_REPLY', fc['reply'])
    emit('CAPC_ST_HEARTBEAT_STALLED', hb['hdr'])


def capture_advisories(domain):
    conf = 'jetstream { domain: HUB }' if domain else None
    s = Server(conf)
    pre = '$JS.HUB.API.' if domain else '$JS.API.'
    sfx = '_DOMAIN' if domain else ''
    try:
        c = Conn(s.port)
        adv = c.sub('$JS.EVENT.>')
        c.request(pre + 'STREAM.CREATE.S', json.dumps({'name': 'S', 'subjects': ['s.>']}))
        for i in range(4):
            c.request('s.a', 'm%d' % i)
        c.request(pre + 'CONSUMER.CREATE.S.p', json.dumps({'stream_name': 'S', 'config': {
            'ack_policy': 'explicit', 'max_deliver': 2, 'ack_wait': 300000000,
            'sample_freq': '100%'}}))
        inb = c.sub('in')
        c.pub(pre + 'CONSUMER.MSG.NEXT.S.p', '{"batch":4}', 'in')
        ms = [c.next(inb) for _ in range(4)]
        ackr = c.sub('ackr')
        c.pub(ms[0]['reply'], '+ACK', 'ackr')
        emit('CAPC_DOUBLE_ACK' + sfx, c.next(ackr)['data'])
        c.pub(ms[1]['reply'], '-NAK {"delay":1000000}')
        c.pub(ms[2]['reply'], '+TERM')
        c.pub(ms[3]['reply'], '+WPI')
        time.sleep(0.1)
        c.pub(pre + 'CONSUMER.MSG.NEXT.S.p', '{"batch":4,"expires":1200000000}', 'in')
        time.sleep(1.3)
        c.request(pre + 'CONSUMER.DELETE.S.p')
        seen = {}
        while True:
            m = c.next(adv, 0.5)
            if m is None:
                break
            seen.setdefault(m['subject'], m['data'])
        for subj, name in [('CONSUMER.CREATED.S.p', 'CREATED'), ('CONSUMER.DELETED.S.p',
                                                                  'DELETED'),
                           ('CONSUMER.MSG_NAKED.S.p', 'NAKED'),
                           ('CONSUMER.MSG_TERMINATED.S.p', 'TERMINATED'),
                           ('CONSUMER.MAX_DELIVERIES.S.p', 'MAX_DELIVER')]:
            emit('CAPC_ADV_%s%s' % (name, sfx), seen['$JS.EVENT.ADVISORY.' + subj])
        emit('CAPC_METRIC_ACK' + sfx, seen['$JS.EVENT.METRIC.CONSUMER.ACK.S.p'])
    finally:
        s.stop()


def main():
    s = Server()
    try:
        c = Conn(s.port)
        capture_creates(c)
        capture_sequences(c)
        capture_info_and_lists(c)
        capture_pulls(c)
        capture_statuses(c)
    finally:
        s.stop()
    capture_limits()
    capture_advisories(False)
    capture_advisories(True)
    print('/* Consumer API traffic captured from nats-server 2.9.10 (127.0.0.1, -js,')
    print(' * fresh store) by capture_consumer.py, byte for byte. Rows replay a request')
    print(' * and hold the exact answer ("" = no answer); the tests rebuild each answer')
    print(' * from structs. Times, names and ids in them are test inputs.')
    print(' * Generated; edit only by re-capturing. */')
    print('#ifndef GN_TEST_JS_CAPTURES_CONSUMER_H')
    print('#define GN_TEST_JS_CAPTURES_CONSUMER_H\n')
    print('struct capc_row {\n    const char *subject, *body, *resp;\n};')
    print('struct capc_pull {\n    const char *body, *status;\n};\n')
    print('\n'.join(OUT))
    print('\n#endif')


if __name__ == '__main__':
    main()

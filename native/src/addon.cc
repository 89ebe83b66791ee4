// Node binding of scry::Probe (node-addon-api).
//
//   const { Probe } = require('.../scry_native.node');
//   const p = new Probe('/path/probe.bpf.o');
//   p.cfgNames(); p.setGlobal('scry_cfg', buf); p.load({ ringBytes });
//   p.attach(); p.drain(maxBytes) -> { buf, events } | null; p.stats(); p.close();
#include <napi.h>

#include <fcntl.h>
#include <poll.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "probe.h"
#include "scap_scan.h"
#include "scry_codec.h"
#include "scry_decode.h"
#include "read_positions.h"

namespace {

class ProbeWrap : public Napi::ObjectWrap<ProbeWrap> {
 public:
  static Napi::Object Init(Napi::Env env, Napi::Object exports) {
    Napi::Function cls = DefineClass(
        env, "Probe",
        {
            InstanceMethod("cfgNames", &ProbeWrap::CfgNames),
            InstanceMethod("programSections", &ProbeWrap::ProgramSections),
            InstanceMethod("setGlobal", &ProbeWrap::SetGlobal),
            InstanceMethod("load", &ProbeWrap::Load),
            InstanceMethod("attach", &ProbeWrap::Attach),
            InstanceMethod("detach", &ProbeWrap::Detach),
            InstanceMethod("drain", &ProbeWrap::Drain),
            InstanceMethod("setParamLimits", &ProbeWrap::SetParamLimits),
            InstanceMethod("pending", &ProbeWrap::Pending),
            InstanceMethod("wait", &ProbeWrap::Wait),
            InstanceMethod("stats", &ProbeWrap::Stats),
            InstanceMethod("track", &ProbeWrap::Track),
            InstanceMethod("untrack", &ProbeWrap::Untrack),
            InstanceMethod("close", &ProbeWrap::Close),
            StaticMethod("possibleCpus", &ProbeWrap::PossibleCpus),
            StaticMethod("clocks", &ProbeWrap::Clocks),
        });
    exports.Set("Probe", cls);
    return exports;
  }

  explicit ProbeWrap(const Napi::CallbackInfo &info) : Napi::ObjectWrap<ProbeWrap>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsString()) {
      Napi::TypeError::New(env, "Probe(path): path of the BPF object expected").ThrowAsJavaScriptException();
      return;
    }
    std::string err;
    if (!probe_.Open(info[0].As<Napi::String>().Utf8Value(), err)) {
      Napi::Error::New(env, err).ThrowAsJavaScriptException();
    }
  }

 private:
  static Napi::Value PossibleCpus(const Napi::CallbackInfo &info) {
    return Napi::Number::New(info.Env(), scry::Probe::PossibleCpus());
  }

  // clocks() -> { realtime, boottime, monotonic } in ns as BigInt; each of the
  // other clocks is read around the realtime read and averaged
  static Napi::Value Clocks(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    auto ns = [](const struct timespec &t) -> uint64_t { return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec; };
    struct timespec b1, m1, r, m2, b2;
    clock_gettime(CLOCK_BOOTTIME, &b1);
    clock_gettime(CLOCK_MONOTONIC, &m1);
    clock_gettime(CLOCK_REALTIME, &r);
    clock_gettime(CLOCK_MONOTONIC, &m2);
    clock_gettime(CLOCK_BOOTTIME, &b2);
    Napi::Object o = Napi::Object::New(env);
    o.Set("realtime", Napi::BigInt::New(env, (uint64_t)ns(r)));
    o.Set("boottime", Napi::BigInt::New(env, (uint64_t)((ns(b1) + ns(b2)) / 2)));
    o.Set("monotonic", Napi::BigInt::New(env, (uint64_t)((ns(m1) + ns(m2)) / 2)));
    return o;
  }

  Napi::Value CfgNames(const Napi::CallbackInfo &info) {
    std::vector<std::string> names = probe_.CfgNames();
    Napi::Array a = Napi::Array::New(info.Env(), names.size());
    for (size_t i = 0; i < names.size(); i++) a.Set((uint32_t)i, names[i]);
    return a;
  }

  Napi::Value ProgramSections(const Napi::CallbackInfo &info) {
    std::vector<std::string> names = probe_.ProgramSections();
    Napi::Array a = Napi::Array::New(info.Env(), names.size());
    for (size_t i = 0; i < names.size(); i++) a.Set((uint32_t)i, names[i]);
    return a;
  }

  Napi::Value SetGlobal(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (info.Length() < 2 || !info[0].IsString() || !info[1].IsBuffer()) {
      Napi::TypeError::New(env, "setGlobal(name, buffer)").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Buffer<uint8_t> b = info[1].As<Napi::Buffer<uint8_t>>();
    std::string err;
    if (!probe_.SetGlobal(info[0].As<Napi::String>().Utf8Value(), b.Data(), b.Length(), err)) {
      Napi::Error::New(env, err).ThrowAsJavaScriptException();
    }
    return env.Undefined();
  }

  Napi::Value Load(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    uint32_t ring = 8;
    if (info.Length() > 0 && info[0].IsObject()) {
      Napi::Object o = info[0].As<Napi::Object>();
      if (o.Has("ringSegments")) ring = o.Get("ringSegments").As<Napi::Number>().Uint32Value();
    }
    scry::LoadResult res;
    std::string err;
    if (!probe_.Load(ring, res, err)) {
      probe_.Close();
      Napi::Error e = Napi::Error::New(env, err);
      e.Set("errno", Napi::Number::New(env, errno));
      e.ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Object out = Napi::Object::New(env);
    out.Set("programs", res.programs);
    out.Set("tails", res.tails);
    out.Set("cpus", probe_.ncpus());
    Napi::Array w = Napi::Array::New(env, res.warnings.size());
    for (size_t i = 0; i < res.warnings.size(); i++) w.Set((uint32_t)i, res.warnings[i]);
    out.Set("warnings", w);
    Napi::Object t = Napi::Object::New(env);
    for (auto &x : res.timings) t.Set(x.first, x.second);
    out.Set("timings", t);
    return out;
  }

  // attach(skip?: string[]): tracepoints not to attach
  Napi::Value Attach(const Napi::CallbackInfo &info) {
    std::string err;
    std::vector<std::string> skip;
    if (info.Length() > 0 && info[0].IsArray()) {
      Napi::Array a = info[0].As<Napi::Array>();
      for (uint32_t i = 0; i < a.Length(); i++) skip.push_back(a.Get(i).As<Napi::String>().Utf8Value());
    }
    if (!probe_.Attach(skip, err)) Napi::Error::New(info.Env(), err).ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }

  Napi::Value Detach(const Napi::CallbackInfo &info) {
    probe_.Detach();
    return info.Env().Undefined();
  }

  // setParamLimits(Uint8Array(65536)): per event type, the most parameters a
  // drained event keeps (255: all); an empty array turns trimming off
  Napi::Value SetParamLimits(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsTypedArray()) {
      Napi::TypeError::New(env, "setParamLimits(Uint8Array) expected").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Uint8Array a = info[0].As<Napi::Uint8Array>();
    if (a.ElementLength() != 0 && a.ElementLength() != 65536) {
      Napi::RangeError::New(env, "setParamLimits: 65536 entries expected").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    probe_.SetParamLimits(std::vector<uint8_t>(a.Data(), a.Data() + a.ElementLength()));
    return env.Undefined();
  }

  // drain(maxBytes) -> { buf: Buffer of scap event blocks, events } or null when empty
  Napi::Value Drain(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    size_t cap = 4u << 20;
    if (info.Length() > 0 && info[0].IsNumber()) cap = info[0].As<Napi::Number>().Uint32Value();
    if (cap < 128 * 1024) cap = 128 * 1024;
    if (buf_.size() < cap) buf_.resize(cap);
    uint64_t events = 0;
    size_t n = probe_.Drain(buf_.data(), cap, &events);
    if (n == 0) return env.Null();
    Napi::Object out = Napi::Object::New(env);
    out.Set("buf", Napi::Buffer<uint8_t>::Copy(env, buf_.data(), n));
    out.Set("events", Napi::Number::New(env, (double)events));
    return out;
  }

  Napi::Value Pending(const Napi::CallbackInfo &info) {
    return Napi::Number::New(info.Env(), (double)probe_.Pending());
  }

  // wait(timeoutMs) -> Promise<boolean>: resolves when a ring has data or on timeout
  class WaitWorker : public Napi::AsyncWorker {
   public:
    WaitWorker(Napi::Env env, scry::Probe *p, int ms)
        : Napi::AsyncWorker(env), probe_(p), ms_(ms), deferred_(Napi::Promise::Deferred::New(env)) {}
    Napi::Promise Promise() { return deferred_.Promise(); }
    void Execute() override { ready_ = probe_->Wait(ms_); }
    void OnOK() override { deferred_.Resolve(Napi::Boolean::New(Env(), ready_)); }
    void OnError(const Napi::Error &e) override { deferred_.Reject(e.Value()); }

   private:
    scry::Probe *probe_;
    int ms_;
    bool ready_ = false;
    Napi::Promise::Deferred deferred_;
  };

  Napi::Value Wait(const Napi::CallbackInfo &info) {
    int ms = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 10;
    WaitWorker *w = new WaitWorker(info.Env(), &probe_, ms);
    Napi::Promise p = w->Promise();
    w->Queue();
    return p;
  }

  Napi::Value Stats(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    std::vector<scry::CpuStats> st;
    std::string err;
    if (!probe_.Stats(st, err)) {
      Napi::Error::New(env, err).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Array a = Napi::Array::New(env, st.size());
    for (size_t i = 0; i < st.size(); i++) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("events", (double)st[i].events);
      o.Set("dropsFull", (double)st[i].drops_full);
      o.Set("dropsBig", (double)st[i].drops_big);
      o.Set("dropsNoScratch", (double)st[i].drops_noscratch);
      a.Set((uint32_t)i, o);
    }
    return a;
  }

  Napi::Value Track(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    uint32_t tgid = info[0].As<Napi::Number>().Uint32Value();
    uint32_t state = info.Length() > 1 ? info[1].As<Napi::Number>().Uint32Value() : 2;
    std::string err;
    if (!probe_.Track(tgid, state, err)) Napi::Error::New(env, err).ThrowAsJavaScriptException();
    return env.Undefined();
  }

  Napi::Value Untrack(const Napi::CallbackInfo &info) {
    return Napi::Boolean::New(info.Env(), probe_.Untrack(info[0].As<Napi::Number>().Uint32Value()));
  }

  Napi::Value Close(const Napi::CallbackInfo &info) {
    probe_.Close();
    return info.Env().Undefined();
  }

  scry::Probe probe_;
  std::vector<uint8_t> buf_;
};

// ---- a command held at a gate until its pid is registered with the probe ----

// spawnGated(file, argv) -> { pid, gate }: forks a child that waits for one byte
// on a pipe and then execs file with argv (argv[0] as given) and this process's
// environment. Only async-signal-safe calls happen between fork and exec.
Napi::Value SpawnGated(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsArray()) {
    Napi::TypeError::New(env, "spawnGated(file, argv)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string file = info[0].As<Napi::String>().Utf8Value();
  Napi::Array a = info[1].As<Napi::Array>();
  std::vector<std::string> args;
  for (uint32_t i = 0; i < a.Length(); i++) args.push_back(a.Get(i).As<Napi::String>().Utf8Value());
  std::vector<char *> argv;
  for (std::string &x : args) argv.push_back(&x[0]);
  argv.push_back(nullptr);
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0) {
    Napi::Error::New(env, std::string("pipe: ") + strerror(errno)).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close(p[0]);
    close(p[1]);
    Napi::Error::New(env, std::string("fork: ") + strerror(e)).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (pid == 0) {
    // child: default signal handling, empty mask, nothing but stdio across exec
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
    close(p[1]);
#ifdef SYS_close_range
    syscall(SYS_close_range, 3, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */);
#endif
    // Node marks its stdio close-on-exec: the command must keep them
    for (int fd = 0; fd < 3; fd++) fcntl(fd, F_SETFD, 0);
    char c;
    ssize_t n;
    do {
      n = read(p[0], &c, 1);
    } while (n < 0 && errno == EINTR);
    if (n != 1) _exit(126);
    execve(file.c_str(), argv.data(), environ);
    _exit(127);
  }
  close(p[0]);
  Napi::Object out = Napi::Object::New(env);
  out.Set("pid", Napi::Number::New(env, pid));
  out.Set("gate", Napi::Number::New(env, p[1]));
  return out;
}

// release(gate): lets the gated child exec
Napi::Value Release(const Napi::CallbackInfo &info) {
  int fd = info[0].As<Napi::Number>().Int32Value();
  char c = 'g';
  ssize_t n;
  do {
    n = write(fd, &c, 1);
  } while (n < 0 && errno == EINTR);
  close(fd);
  return Napi::Boolean::New(info.Env(), n == 1);
}

// reap(pid) -> null while running, else { code, signal }
Napi::Value Reap(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  pid_t pid = info[0].As<Napi::Number>().Int32Value();
  int status = 0;
  pid_t r = waitpid(pid, &status, WNOHANG);
  if (r == 0) return env.Null();
  Napi::Object out = Napi::Object::New(env);
  if (r < 0) {
    out.Set("code", env.Null());
    out.Set("signal", env.Null());
    out.Set("error", Napi::String::New(env, strerror(errno)));
    return out;
  }
  if (WIFEXITED(status)) {
    out.Set("code", WEXITSTATUS(status));
    out.Set("signal", env.Null());
  } else {
    out.Set("code", env.Null());
    out.Set("signal", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  }
  return out;
}

// UDP datagrams for chisels (sysdig.udp_setpeername and sysdig.udp_send in
// lib/chisel/host.ts): a chisel callback is synchronous, so these are the
// plain system calls, done at once.

// udpSocket() -> the fd of a new IPv4 datagram socket, or -errno
Napi::Value UdpSocket(const Napi::CallbackInfo &info) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  return Napi::Number::New(info.Env(), fd < 0 ? -errno : fd);
}

// udpSendTo(fd, addr4, port, data) -> bytes sent, or -errno
Napi::Value UdpSendTo(const Napi::CallbackInfo &info) {
  int fd = info[0].As<Napi::Number>().Int32Value();
  Napi::Uint8Array addr = info[1].As<Napi::Uint8Array>();
  uint32_t port = info[2].As<Napi::Number>().Uint32Value();
  Napi::Uint8Array data = info[3].As<Napi::Uint8Array>();
  struct sockaddr_in to;
  memset(&to, 0, sizeof to);
  to.sin_family = AF_INET;
  to.sin_port = htons((uint16_t)port);
  memcpy(&to.sin_addr, addr.Data(), addr.ByteLength() < sizeof to.sin_addr ? addr.ByteLength() : sizeof to.sin_addr);
  ssize_t n = sendto(fd, data.Data(), data.ByteLength(), 0, reinterpret_cast<struct sockaddr *>(&to), sizeof to);
  return Napi::Number::New(info.Env(), n < 0 ? -errno : (double)n);
}

// waitWritable(fd, timeoutMs) -> poll's result (1: writable or in error, 0: timed
// out, -errno). lib/util/fdwrite.ts blocks here when a non-blocking output
// (a pipe some other program made non-blocking) is full, instead of spinning.
Napi::Value WaitWritable(const Napi::CallbackInfo &info) {
  struct pollfd p;
  p.fd = info[0].As<Napi::Number>().Int32Value();
  p.events = POLLOUT;
  p.revents = 0;
  int r = poll(&p, 1, info[1].As<Napi::Number>().Int32Value());
  return Napi::Number::New(info.Env(), r < 0 ? -errno : r);
}

Napi::Object InitAll(Napi::Env env, Napi::Object exports) {
  exports.Set("waitWritable", Napi::Function::New(env, WaitWritable));
  exports.Set("spawnGated", Napi::Function::New(env, SpawnGated));
  exports.Set("release", Napi::Function::New(env, Release));
  exports.Set("reap", Napi::Function::New(env, Reap));
  exports.Set("udpSocket", Napi::Function::New(env, UdpSocket));
  exports.Set("udpSendTo", Napi::Function::New(env, UdpSendTo));
  scry::InitCodec(env, exports);
  scry::InitScan(env, exports);
  scry::InitDecode(env, exports);
  scry::InitReadPositions(env, exports);
  return ProbeWrap::Init(env, exports);
}

}  // namespace

NODE_API_MODULE(scry_native, InitAll)

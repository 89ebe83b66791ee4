#!/usr/bin/env node
// Rebuilds native/bpf/probe.bpf.o from its C sources with clang and records,
// in native/bpf/probe.bpf.json, the hash of the sources it was built from, the
// hash of the object and the compiler version. The object is committed, so
// installing scry never needs clang (cilium/ebpf's habit).
//
//   npm run build:bpf            rebuild in place
//   node native/scripts/build-bpf.js --out /tmp/x.o   build elsewhere (tests)
//   node native/scripts/build-bpf.js --check          exit 1 if the sources changed since the last build
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { execFileSync } = require('child_process');

const bpfDir = path.join(__dirname, '..', 'bpf');
const objPath = path.join(bpfDir, 'probe.bpf.o');
const manifestPath = path.join(bpfDir, 'probe.bpf.json');
const FLAGS = ['-O2', '-g0', '-target', 'bpf', '-mcpu=v3', '-Wall', '-Wno-unused-function', '-Wno-pass-failed'];

function sources() {
  return fs.readdirSync(bpfDir).filter((f) => /\.(c|h)$/.test(f)).sort();
}

function sourceHash() {
  const h = crypto.createHash('sha256');
  for (const f of sources()) {
    h.update(f + '\0');
    h.update(fs.readFileSync(path.join(bpfDir, f)));
    h.update('\0');
  }
  return h.digest('hex');
}

function clangBin() {
  return process.env.CLANG || 'clang';
}

function clangVersion() {
  const out = execFileSync(clangBin(), ['--version'], { encoding: 'utf8' });
  const m = /clang version (\S+)/.exec(out);
  return m ? m[1] : out.split('\n')[0];
}

function build(out) {
  // relative paths keep the object free of this checkout's location
  execFileSync(clangBin(), [...FLAGS, '-c', 'probe.bpf.c', '-o', path.resolve(out)], { cwd: bpfDir, stdio: 'inherit' });
}

function fileHash(p) {
  return crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
}

function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--check') {
    const m = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    const now = sourceHash();
    if (m.sourceSha256 !== now) {
      console.error('native/bpf sources changed since probe.bpf.o was built: run npm run build:bpf');
      process.exit(1);
    }
    if (fileHash(objPath) !== m.objectSha256) {
      console.error('probe.bpf.o does not match its manifest: run npm run build:bpf');
      process.exit(1);
    }
    return;
  }
  if (args[0] === '--out') {
    build(args[1]);
    return;
  }
  if (args[0] === '--info') {
    console.log(JSON.stringify({ sourceSha256: sourceHash(), clang: clangVersion(), flags: FLAGS }));
    return;
  }
  build(objPath);
  const manifest = {
    object: 'probe.bpf.o',
    sources: sources(),
    sourceSha256: sourceHash(),
    objectSha256: fileHash(objPath),
    clang: clangVersion(),
    flags: FLAGS,
  };
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`built ${path.relative(process.cwd(), objPath)} (${fs.statSync(objPath).size} bytes) with clang ${manifest.clang}`);
}

main();

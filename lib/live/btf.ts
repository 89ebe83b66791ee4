// A reader of BTF, the kernel's type information (/sys/kernel/btf/vmlinux),
// just enough to find struct member offsets, struct sizes and enum values
// for the probe's configuration (see native/bpf/config.h).

import * as fs from 'fs';

const BTF_MAGIC = 0xeb9f;

const enum Kind {
  INT = 1, PTR = 2, ARRAY = 3, STRUCT = 4, UNION = 5, ENUM = 6, FWD = 7, TYPEDEF = 8, VOLATILE = 9,
  CONST = 10, RESTRICT = 11, FUNC = 12, FUNC_PROTO = 13, VAR = 14, DATASEC = 15, FLOAT = 16,
  DECL_TAG = 17, TYPE_TAG = 18, ENUM64 = 19,
}

interface Member { name: string; type: number; bitOffset: number }

interface BtfType {
  kind: number;
  name: string;
  /** size (struct, union, enum, int) or referenced type (ptr, typedef, modifiers) */
  sizeOrType: number;
  members?: Member[];
  enumerators?: { name: string; value: number }[];
}

export class BtfError extends Error {}

export class Btf {
  private readonly types: BtfType[] = [{ kind: 0, name: '', sizeOrType: 0 }];
  private readonly byName = new Map<string, number[]>();
  private enumIndex?: Map<string, number>;

  constructor(data: Buffer) {
    if (data.length < 24 || data.readUInt16LE(0) !== BTF_MAGIC) throw new BtfError('not BTF data (bad magic)');
    const hdrLen = data.readUInt32LE(4);
    const typeOff = data.readUInt32LE(8), typeLen = data.readUInt32LE(12);
    const strOff = data.readUInt32LE(16), strLen = data.readUInt32LE(20);
    const tstart = hdrLen + typeOff, tend = tstart + typeLen;
    const sstart = hdrLen + strOff, send = sstart + strLen;
    if (tend > data.length || send > data.length) throw new BtfError('truncated BTF data');
    const str = (off: number): string => {
      if (off === 0) return '';
      const p = sstart + off;
      const z = data.indexOf(0, p);
      return data.toString('latin1', p, z < 0 || z > send ? send : z);
    };
    let p = tstart;
    while (p + 12 <= tend) {
      const nameOff = data.readUInt32LE(p);
      const info = data.readUInt32LE(p + 4);
      const sizeOrType = data.readUInt32LE(p + 8);
      p += 12;
      const vlen = info & 0xffff;
      const kind = (info >>> 24) & 0x1f;
      const kflag = info >>> 31;
      const t: BtfType = { kind, name: str(nameOff), sizeOrType };
      switch (kind) {
        case Kind.INT: p += 4; break;
        case Kind.ARRAY: p += 12; break;
        case Kind.STRUCT: case Kind.UNION: {
          const members: Member[] = [];
          for (let i = 0; i < vlen; i++) {
            const off = data.readUInt32LE(p + 8);
            members.push({ name: str(data.readUInt32LE(p)), type: data.readUInt32LE(p + 4), bitOffset: kflag ? off & 0xffffff : off });
            p += 12;
          }
          t.members = members;
          break;
        }
        case Kind.ENUM: {
          const e: { name: string; value: number }[] = [];
          for (let i = 0; i < vlen; i++) { e.push({ name: str(data.readUInt32LE(p)), value: data.readInt32LE(p + 4) }); p += 8; }
          t.enumerators = e;
          break;
        }
        case Kind.ENUM64: {
          const e: { name: string; value: number }[] = [];
          for (let i = 0; i < vlen; i++) {
            e.push({ name: str(data.readUInt32LE(p)), value: data.readUInt32LE(p + 8) * 4294967296 + data.readUInt32LE(p + 4) });
            p += 12;
          }
          t.enumerators = e;
          break;
        }
        case Kind.FUNC_PROTO: p += vlen * 8; break;
        case Kind.VAR: p += 4; break;
        case Kind.DATASEC: p += vlen * 12; break;
        case Kind.DECL_TAG: p += 4; break;
        case Kind.PTR: case Kind.FWD: case Kind.TYPEDEF: case Kind.VOLATILE: case Kind.CONST:
        case Kind.RESTRICT: case Kind.FUNC: case Kind.FLOAT: case Kind.TYPE_TAG:
          break;
        default:
          throw new BtfError(`unknown BTF kind ${kind}`);
      }
      const id = this.types.length;
      this.types.push(t);
      if (t.name) {
        const l = this.byName.get(t.name);
        if (l) l.push(id); else this.byName.set(t.name, [id]);
      }
    }
  }

  static load(path = '/sys/kernel/btf/vmlinux'): Btf {
    return new Btf(fs.readFileSync(path));
  }

  /** Type id of a complete struct (or union) named `name`. */
  struct(name: string): number | undefined {
    for (const id of this.byName.get(name) ?? []) {
      const t = this.types[id];
      if ((t.kind === Kind.STRUCT || t.kind === Kind.UNION) && t.members) return id;
    }
    return undefined;
  }

  hasStruct(name: string): boolean { return this.struct(name) !== undefined; }

  sizeof(name: string): number | undefined {
    const id = this.struct(name);
    return id === undefined ? undefined : this.types[id].sizeOrType;
  }

  /** Follows typedefs and qualifiers. */
  private resolve(id: number): number {
    for (let n = 0; n < 32; n++) {
      const t = this.types[id];
      if (!t) return 0;
      if (t.kind === Kind.TYPEDEF || t.kind === Kind.VOLATILE || t.kind === Kind.CONST ||
          t.kind === Kind.RESTRICT || t.kind === Kind.TYPE_TAG) { id = t.sizeOrType; continue; }
      return id;
    }
    return 0;
  }

  /** Finds a member by name, looking into anonymous struct/union members. */
  private findMember(structId: number, name: string): { bitOffset: number; type: number } | undefined {
    const t = this.types[structId];
    for (const m of t.members ?? []) {
      if (m.name === name) return { bitOffset: m.bitOffset, type: m.type };
      if (m.name === '') {
        const inner = this.resolve(m.type);
        const it = this.types[inner];
        if (it && (it.kind === Kind.STRUCT || it.kind === Kind.UNION)) {
          const r = this.findMember(inner, name);
          if (r) return { bitOffset: m.bitOffset + r.bitOffset, type: r.type };
        }
      }
    }
    return undefined;
  }

  /**
   * Byte offset of `path` ("member.sub.member", each component may list
   * alternatives "a|b") inside struct `structName`.
   */
  offsetOf(structName: string, path: string): number | undefined {
    let id = this.struct(structName);
    if (id === undefined) return undefined;
    let bits = 0;
    const parts = path.split('.');
    for (let i = 0; i < parts.length; i++) {
      let found: { bitOffset: number; type: number } | undefined;
      for (const alt of parts[i].split('|')) {
        found = this.findMember(id, alt);
        if (found) break;
      }
      if (!found) return undefined;
      bits += found.bitOffset;
      if (i < parts.length - 1) {
        id = this.resolve(found.type);
        const t = this.types[id];
        if (!t || (t.kind !== Kind.STRUCT && t.kind !== Kind.UNION)) return undefined;
      }
    }
    if (bits % 8) return undefined; // bitfields are not addressable
    return bits / 8;
  }

  enumValue(name: string): number | undefined {
    if (!this.enumIndex) {
      this.enumIndex = new Map();
      for (const t of this.types) {
        for (const e of t.enumerators ?? []) if (!this.enumIndex.has(e.name)) this.enumIndex.set(e.name, e.value);
      }
    }
    return this.enumIndex.get(name);
  }
}

export const NO_OFF = 0xffffffff;

/**
 * Resolves one slot name of the probe's configuration (see
 * native/bpf/config.h) that refers to kernel types. Returns undefined when the
 * kernel lacks it.
 */
export function resolveKernelName(btf: Btf, spec: string): number | undefined {
  if (spec.startsWith('sizeof:')) return btf.sizeof(spec.slice(7));
  if (spec.startsWith('enum:')) return btf.enumValue(spec.slice(5));
  const dot = spec.indexOf('.');
  if (dot < 0) return undefined;
  return btf.offsetOf(spec.slice(0, dot), spec.slice(dot + 1));
}

// k8s.* fields. Replaying a capture there is no API server to ask, so, as
// sysdig does then, the values come from the io.kubernetes.* labels of the
// event's container (and of its pod sandbox container for pod labels);
// everything else is absent.

import { PF, PT } from '../schema/types';
import type { ContainerInfo } from '../state/view';
import { ArgMode, EvalContext, FieldValue } from './types';
import { FieldClassX, FieldDefX, ParseResult, byName, defineField, simple } from './def';

function containerOf(c: EvalContext): ContainerInfo | undefined {
  const t = c.state.thread;
  if (!t || t.containerId === '') return undefined;
  const ci = c.state.containers.get(t.containerId);
  return ci && ci.labels.size > 0 ? ci : undefined;
}

function label(name: string): (c: EvalContext) => FieldValue {
  return (c) => containerOf(c)?.labels.get(name);
}

/** The pod sandbox container named by io.kubernetes.sandbox.id (its short id), if it has labels. */
function sandbox(c: EvalContext): ContainerInfo | undefined {
  const ci = containerOf(c);
  if (!ci) return undefined;
  let id = ci.labels.get('io.kubernetes.sandbox.id');
  if (id === undefined) return undefined;
  if (id.length > 12) id = id.slice(0, 12);
  const sb = c.state.containers.get(id);
  return sb && sb.labels.size > 0 ? sb : undefined;
}

/** Labels as "k:v, k2:v2" in key order, without annotations and io.kubernetes.* internals. */
function podLabels(ci: ContainerInfo): string {
  const keys = [...ci.labels.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let s = '';
  for (const k of keys) {
    if (k.startsWith('annotation.') || k.startsWith('io.kubernetes.')) continue;
    if (s !== '') s += ', ';
    s += k;
    const v = ci.labels.get(k)!;
    if (v !== '') s += ':' + v;
  }
  return s;
}

const none = (): FieldValue => undefined;

function keyed(name: string, desc: string, get?: (c: EvalContext, key: string) => FieldValue): FieldDefX {
  return defineField({
    name, type: PT.CHARBUF, fmt: PF.NA, desc, arg: ArgMode.REQUIRED_KEY,
    compile: (arg) => ({ extract: get ? (c) => get(c, arg ?? '') : none }),
  });
}

const FIELDS: FieldDefX[] = [
  simple('k8s.pod.name', PT.CHARBUF, PF.NA, 'name of the Kubernetes pod.', label('io.kubernetes.pod.name')),
  simple('k8s.pod.id', PT.CHARBUF, PF.NA, 'uid of the Kubernetes pod.', label('io.kubernetes.pod.uid')),
  keyed('k8s.pod.label', 'one label of the Kubernetes pod, named after a dot, as in k8s.pod.label.app.',
    (c, key) => sandbox(c)?.labels.get(key)),
  simple('k8s.pod.labels', PT.CHARBUF, PF.NA, 'labels of the Kubernetes pod as key:value pairs, comma separated.',
    (c) => { const sb = sandbox(c); return sb ? podLabels(sb) : undefined; }),
  simple('k8s.rc.name', PT.CHARBUF, PF.NA, 'name of the Kubernetes replication controller.', none),
  simple('k8s.rc.id', PT.CHARBUF, PF.NA, 'uid of the Kubernetes replication controller.', none),
  keyed('k8s.rc.label', 'one label of the Kubernetes replication controller, named after a dot, as in k8s.rc.label.app.'),
  simple('k8s.rc.labels', PT.CHARBUF, PF.NA, 'labels of the Kubernetes replication controller as key:value pairs, comma separated.', none),
  simple('k8s.svc.name', PT.CHARBUF, PF.NA, 'name of the Kubernetes service (several are joined).', none),
  simple('k8s.svc.id', PT.CHARBUF, PF.NA, 'uid of the Kubernetes service (several are joined).', none),
  keyed('k8s.svc.label', 'one label of the Kubernetes service, named after a dot, as in k8s.svc.label.app (several are joined).'),
  simple('k8s.svc.labels', PT.CHARBUF, PF.NA, 'labels of the Kubernetes service as key:value pairs, comma separated.', none),
  simple('k8s.ns.name', PT.CHARBUF, PF.NA, 'name of the Kubernetes namespace.', label('io.kubernetes.pod.namespace')),
  simple('k8s.ns.id', PT.CHARBUF, PF.NA, 'uid of the Kubernetes namespace.', none),
  keyed('k8s.ns.label', 'one label of the Kubernetes namespace, named after a dot, as in k8s.ns.label.team.'),
  simple('k8s.ns.labels', PT.CHARBUF, PF.NA, 'labels of the Kubernetes namespace as key:value pairs, comma separated.', none),
  simple('k8s.rs.name', PT.CHARBUF, PF.NA, 'name of the Kubernetes replica set.', none),
  simple('k8s.rs.id', PT.CHARBUF, PF.NA, 'uid of the Kubernetes replica set.', none),
  keyed('k8s.rs.label', 'one label of the Kubernetes replica set, named after a dot, as in k8s.rs.label.app.'),
  simple('k8s.rs.labels', PT.CHARBUF, PF.NA, 'labels of the Kubernetes replica set as key:value pairs, comma separated.', none),
  simple('k8s.deployment.name', PT.CHARBUF, PF.NA, 'name of the Kubernetes deployment.', none),
  simple('k8s.deployment.id', PT.CHARBUF, PF.NA, 'uid of the Kubernetes deployment.', none),
  keyed('k8s.deployment.label', 'one label of the Kubernetes deployment, named after a dot, as in k8s.deployment.label.app.'),
  simple('k8s.deployment.labels', PT.CHARBUF, PF.NA, 'labels of the Kubernetes deployment as key:value pairs, comma separated.', none),
];

/** Label key characters sysdig accepts after 'k8s.X.label.' (and for mesos/marathon labels). */
export function labelKeyEnd(text: string, from: number): number {
  let e = from;
  while (e < text.length && /[A-Za-z0-9/_.-]/.test(text[e])) e++;
  return e;
}

/** Parses '<base>.<key>' for the label fields of a class; null when text does not name one. */
export function parseLabel(text: string, pos: number, fields: readonly FieldDefX[], bases: readonly string[]): ParseResult | null {
  for (const base of bases) {
    if (!text.startsWith(base, pos) || text.startsWith(base + 's', pos)) continue;
    const p = pos + base.length;
    if (text[p] !== '.') throw new Error('filter syntax error: ' + text.slice(pos));
    const e = labelKeyEnd(text, p + 1);
    return { def: byName(fields, base), arg: text.slice(p + 1, e), end: e };
  }
  return null;
}

export const K8S: FieldClassX = {
  name: 'k8s',
  desc: 'Kubernetes context of the event. Without an API server to ask, only what the container labels tell is known.',
  fields: FIELDS,
  parse(text: string, pos: number): ParseResult | null {
    return parseLabel(text, pos, FIELDS,
      ['k8s.pod.label', 'k8s.rc.label', 'k8s.rs.label', 'k8s.svc.label', 'k8s.ns.label', 'k8s.deployment.label']);
  },
};

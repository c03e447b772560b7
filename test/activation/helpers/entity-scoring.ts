/**
 * Precision / recall of entity extraction against the hand labels in fixtures/entity-labels.json.
 * Used by the entity test (with floors) and by the benchmark (which prints the figures).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { activationItemFromEml, activationItemFromText } from "../../../src/activation/item-from-eml.ts";
import { extractEntities } from "../../../src/activation/entities/extract.ts";
import type { ExtractedEntities } from "../../../src/activation/entities/types.ts";

export const CORPUS_EML = fileURLToPath(new URL("../../../../shared/corpus/eml/", import.meta.url));
const LABELS = fileURLToPath(new URL("../fixtures/entity-labels.json", import.meta.url));

export const KINDS = ["phones", "urls", "emails", "addresses", "meetings", "tasks", "contacts"] as const;
export type Kind = (typeof KINDS)[number];
type Labels = Partial<Record<Kind, string[]>>;
interface CorpusRow extends Labels { file: string }
interface OwnRow extends Labels { id: string; text: string; date: string }

export interface Score {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "");
const digits = (s: string) => s.replace(/[^\d+]/g, "");
const urlNorm = (s: string) => s.toLowerCase().replace(/\/$/, "");

const MATCHERS: Record<Kind, (predicted: string, label: string) => boolean> = {
  phones: (p, l) => digits(p) === digits(l),
  urls: (p, l) => urlNorm(p).startsWith(urlNorm(l)) || urlNorm(l).startsWith(urlNorm(p)),
  emails: (p, l) => p.toLowerCase() === l.toLowerCase(),
  addresses: (p, l) => norm(p).includes(norm(l)) || norm(l).includes(norm(p)),
  meetings: (p, l) => norm(p).includes(norm(l)) || norm(l).includes(norm(p)),
  tasks: (p, l) => norm(p).includes(norm(l)) || norm(l).includes(norm(p)),
  contacts: (p, l) => p.toLowerCase() === l.toLowerCase(),
};

function predictions(e: ExtractedEntities): Record<Kind, string[]> {
  return {
    phones: e.phoneNumbers.map((p) => p.phoneString),
    urls: e.urls,
    emails: e.emailAddresses,
    addresses: e.addresses,
    meetings: e.meetingSuggestions.map((m) => m.meetingString),
    tasks: e.taskSuggestions,
    contacts: e.contacts.map((c) => c.personName),
  };
}

function count(pred: string[], labels: string[], match: (p: string, l: string) => boolean) {
  const free = [...labels];
  let tp = 0;
  for (const p of pred) {
    const i = free.findIndex((l) => match(p, l));
    if (i >= 0) {
      tp++;
      free.splice(i, 1);
    }
  }
  return { tp, fp: pred.length - tp, fn: free.length };
}

export interface ScoreReport {
  set: "corpus" | "own" | "all";
  byKind: Record<Kind, Score>;
  misses: string[];
}

function finish(set: ScoreReport["set"], raw: Record<Kind, { tp: number; fp: number; fn: number }>, misses: string[]): ScoreReport {
  const byKind = {} as Record<Kind, Score>;
  for (const k of KINDS) {
    const { tp, fp, fn } = raw[k];
    byKind[k] = { tp, fp, fn, precision: tp + fp ? tp / (tp + fp) : 1, recall: tp + fn ? tp / (tp + fn) : 1 };
  }
  return { set, byKind, misses };
}

export async function scoreEntities(): Promise<ScoreReport[]> {
  const labels = JSON.parse(readFileSync(LABELS, "utf8")) as { corpus: CorpusRow[]; own: OwnRow[] };
  const zero = () => Object.fromEntries(KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0 }])) as Record<Kind, { tp: number; fp: number; fn: number }>;
  const sets = { corpus: zero(), own: zero(), all: zero() };
  const misses: Record<"corpus" | "own", string[]> = { corpus: [], own: [] };
  const rows: { set: "corpus" | "own"; name: string; labels: Labels; entities: ExtractedEntities }[] = [];
  for (const row of labels.corpus) {
    const bytes = readFileSync(CORPUS_EML + row.file);
    const item = row.file.endsWith(".txt") ? activationItemFromText(bytes.toString("utf8")) : await activationItemFromEml(bytes);
    rows.push({ set: "corpus", name: row.file, labels: row, entities: extractEntities(item, { reference: new Date("2026-11-02T09:00:00Z") }) });
  }
  for (const row of labels.own) {
    rows.push({ set: "own", name: row.id, labels: row, entities: extractEntities(activationItemFromText(row.text), { reference: new Date(row.date) }) });
  }
  for (const r of rows) {
    const pred = predictions(r.entities);
    for (const k of KINDS) {
      const c = count(pred[k], r.labels[k] ?? [], MATCHERS[k]);
      for (const target of [sets[r.set][k], sets.all[k]]) {
        target.tp += c.tp;
        target.fp += c.fp;
        target.fn += c.fn;
      }
      if (c.fp || c.fn) misses[r.set].push(`${r.name} ${k}: +${c.fp} false, -${c.fn} missed`);
    }
  }
  return [finish("corpus", sets.corpus, misses.corpus), finish("own", sets.own, misses.own), finish("all", sets.all, [...misses.corpus, ...misses.own])];
}

export function formatScores(reports: ScoreReport[]): string {
  const lines = ["set     kind       precision recall  (tp/fp/fn)"];
  for (const r of reports)
    for (const k of KINDS) {
      const s = r.byKind[k];
      lines.push(`${r.set.padEnd(7)} ${k.padEnd(10)} ${s.precision.toFixed(2).padStart(9)} ${s.recall.toFixed(2).padStart(6)}  (${s.tp}/${s.fp}/${s.fn})`);
    }
  return lines.join("\n");
}

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { ApiError } from "../../api/client";
import { Money } from "../../components/Money";
import { formatDay } from "../../lib/dates";
import { useAccounts, type Account } from "../accounts/queries";
import { useLocale } from "../auth/queries";
import { useLedgerId } from "../ledgers/queries";
import { MappingEditor } from "./MappingEditor";
import {
  changeMapping,
  commitImport,
  importKeys,
  secondsLeft,
  undoImport,
  uploadFile,
  useImport,
  type CsvMapping,
  type ImportView,
} from "./queries";

const STEPS = ["File", "Account", "Mapping", "Preview", "Import"] as const;

/** The import wizard: choose or drop a file, pick the account, check the detected format
 * and mapping (columns editable, presets saved and reused), look at the preview with its
 * duplicates and bad rows marked, commit and watch it being written, then undo if need be. */
export default function ImportPage() {
  const ledgerId = useLedgerId();
  const accounts = (useAccounts(ledgerId).data ?? []).filter((a) => !a.archived);
  const [file, setFile] = useState<File | null>(null);
  const [chosenAccount, setAccountId] = useState<string>("");
  // Until one is chosen, the first account.
  const accountId = chosenAccount || accounts[0]?.id || "";
  const [preview, setPreview] = useState<ImportView | null>(null);
  const [step, setStep] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [committed, setCommitted] = useState<{ at: number } | null>(null);

  async function upload() {
    if (!file || !accountId) return;
    setBusy(true);
    setError(null);
    try {
      const view = await uploadFile(ledgerId, accountId, file);
      setPreview(view);
      setStep(view.format === "csv" ? 2 : 3);
    } catch (e) {
      setError(e instanceof ApiError ? (e.field("file") ?? e.message) : "the file could not be sent: check the connection");
    } finally {
      setBusy(false);
    }
  }

  function restart() {
    setFile(null);
    setPreview(null);
    setCommitted(null);
    setStep(0);
    setError(null);
  }

  return (
    <div className="mx-auto max-w-5xl space-y-4">
      <ol className="flex flex-wrap gap-2 text-sm" aria-label="Steps">
        {STEPS.map((label, i) => (
          <li
            key={label}
            aria-current={i === step ? "step" : undefined}
            className={`rounded-full px-3 py-1 ${i === step ? "bg-accent text-accent-ink" : i < step ? "bg-surface-2" : "text-muted"}`}
          >
            {i + 1}. {label}
          </li>
        ))}
      </ol>
      {error && (
        <p role="alert" className="card text-negative">
          {error}
        </p>
      )}
      {step === 0 && (
        <FileStep
          file={file}
          onFile={(f) => {
            setFile(f);
            setError(null);
          }}
          onNext={() => setStep(1)}
        />
      )}
      {step === 1 && (
        <AccountStep
          accounts={accounts}
          accountId={accountId}
          setAccountId={setAccountId}
          busy={busy}
          onBack={() => setStep(0)}
          onNext={() => void upload()}
        />
      )}
      {step === 2 && preview && (
        <div className="card space-y-4">
          <Detected preview={preview} />
          {preview.mapping && (
            <MappingEditor
              columns={preview.preview.columns}
              mapping={preview.mapping}
              presetName={preview.preset_name ?? null}
              busy={busy}
              onApply={async (mapping: CsvMapping, saveAs: string | null) => {
                setBusy(true);
                setError(null);
                try {
                  setPreview(await changeMapping(ledgerId, preview.id, mapping, saveAs));
                } catch (e) {
                  setError(e instanceof ApiError ? e.message : "the mapping was not applied");
                } finally {
                  setBusy(false);
                }
              }}
            />
          )}
          <div className="flex gap-2">
            <button className="btn" onClick={restart}>
              Start over
            </button>
            <button className="btn-primary" onClick={() => setStep(3)}>
              Preview
            </button>
          </div>
        </div>
      )}
      {step === 3 && preview && (
        <PreviewStep
          preview={preview}
          accounts={accounts}
          busy={busy}
          onBack={() => setStep(preview.format === "csv" ? 2 : 1)}
          onCommit={async (map) => {
            setBusy(true);
            setError(null);
            try {
              setPreview(await commitImport(ledgerId, preview.id, map));
              setCommitted({ at: Date.now() });
              setStep(4);
            } catch (e) {
              setError(e instanceof ApiError ? e.message : "the import could not be started");
            } finally {
              setBusy(false);
            }
          }}
        />
      )}
      {step === 4 && preview && committed && (
        <ProgressStep ledgerId={ledgerId} initial={preview} startedAt={committed.at} onAnother={restart} />
      )}
    </div>
  );
}

function FileStep({ file, onFile, onNext }: { file: File | null; onFile: (f: File) => void; onNext: () => void }) {
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="card space-y-4">
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const dropped = e.dataTransfer.files[0];
          if (dropped) onFile(dropped);
        }}
        className={`flex flex-col items-center justify-center gap-3 rounded-card border-2 border-dashed p-10 text-center ${over ? "border-accent bg-surface-1" : "border-line"}`}
      >
        <p className="font-medium">Drop a bank export here</p>
        <p className="text-sm text-muted">CSV in any bank's layout, OFX, QFX or QIF</p>
        <label className="btn cursor-pointer">
          Choose a file
          <input
            ref={input}
            type="file"
            className="sr-only"
            accept=".csv,.txt,.ofx,.qfx,.qif,text/csv,application/x-ofx"
            onChange={(e) => {
              const chosen = e.target.files?.[0];
              if (chosen) onFile(chosen);
            }}
          />
        </label>
        {file && (
          <p className="text-sm">
            <span className="font-medium">{file.name}</span> · {(file.size / 1024).toFixed(0)} KB
          </p>
        )}
      </div>
      <button className="btn-primary" disabled={!file} onClick={onNext}>
        Next: the account
      </button>
    </div>
  );
}

function AccountStep({
  accounts,
  accountId,
  setAccountId,
  busy,
  onBack,
  onNext,
}: {
  accounts: Account[];
  accountId: string;
  setAccountId: (id: string) => void;
  busy: boolean;
  onBack: () => void;
  onNext: () => void;
}) {
  if (accounts.length === 0) {
    return (
      <div className="card space-y-3">
        <p>The rows need an account to go to.</p>
        <Link to="/accounts">Add an account first</Link>
      </div>
    );
  }
  return (
    <div className="card space-y-4">
      <label className="block max-w-sm space-y-1 text-sm">
        <span className="block font-medium">Import into</span>
        <select className="input" value={accountId} onChange={(e) => setAccountId(e.target.value)}>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.currency})
            </option>
          ))}
        </select>
      </label>
      <div className="flex gap-2">
        <button className="btn" onClick={onBack}>
          Back
        </button>
        <button className="btn-primary" disabled={busy || !accountId} onClick={onNext}>
          {busy ? "Reading the file…" : "Read the file"}
        </button>
      </div>
    </div>
  );
}

function Detected({ preview }: { preview: ImportView }) {
  return (
    <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
      <div>
        <dt className="text-muted">Format</dt>
        <dd className="font-medium uppercase">{preview.format}</dd>
      </div>
      <div>
        <dt className="text-muted">Encoding</dt>
        <dd className="font-medium">{preview.preview.encoding}</dd>
      </div>
      <div>
        <dt className="text-muted">Rows</dt>
        <dd className="font-medium tabular">{preview.total_rows + preview.error_rows}</dd>
      </div>
      <div>
        <dt className="text-muted">Mapping</dt>
        <dd className="font-medium">{preview.preset_name ? `Saved: ${preview.preset_name}` : "Detected"}</dd>
      </div>
    </dl>
  );
}

function PreviewStep({
  preview,
  accounts,
  busy,
  onBack,
  onCommit,
}: {
  preview: ImportView;
  accounts: Account[];
  busy: boolean;
  onBack: () => void;
  onCommit: (map: Record<string, string> | null) => Promise<void>;
}) {
  const locale = useLocale();
  const sources = preview.preview.source_accounts;
  const [map, setMap] = useState<Record<string, string>>({});
  const several = sources.length > 1;
  const account = accounts.find((a) => a.id === preview.account_id);
  const p = preview.preview;
  return (
    <div className="space-y-4">
      <div className="card space-y-3">
        <Detected preview={preview} />
        <p className="text-sm">
          <span className="font-semibold tabular">{preview.new_rows}</span> new,{" "}
          <span className="tabular">{preview.duplicate_rows}</span> already imported (skipped),{" "}
          <span className={preview.error_rows ? "text-negative" : ""}>
            <span className="tabular">{preview.error_rows}</span> cannot be imported
          </span>
          .
        </p>
        {(p.notes.length > 0 || (p.new_categories?.length ?? 0) > 0) && (
          <ul className="list-disc space-y-1 pl-5 text-sm text-muted">
            {p.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
            {(p.new_categories?.length ?? 0) > 0 && <li>New categories: {p.new_categories?.join(", ")}</li>}
          </ul>
        )}
      </div>
      {several && (
        <div className="card space-y-2">
          <p className="text-sm font-medium">The file holds several accounts: where does each go?</p>
          {sources.map((s) => (
            <label key={s.id} className="flex items-center gap-3 text-sm">
              <span className="w-56 truncate">
                {s.account_id ?? s.id}
                {s.kind ? ` · ${s.kind}` : ""} · {s.rows} rows{s.currency ? ` (${s.currency})` : ""}
              </span>
              <select className="input w-64" value={map[s.id] ?? ""} onChange={(e) => setMap({ ...map, [s.id]: e.target.value })}>
                <option value="">Skip this account</option>
                {accounts.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </div>
      )}
      <div className="card overflow-x-auto p-0">
        <table className="w-full text-sm">
          <caption className="sr-only">The first rows as they will be written</caption>
          <thead className="border-b border-line text-left text-muted">
            <tr>
              <th className="px-3 py-2 font-medium">Line</th>
              <th className="px-3 py-2 font-medium">Date</th>
              <th className="px-3 py-2 font-medium">Payee</th>
              <th className="px-3 py-2 font-medium">Description</th>
              <th className="px-3 py-2 text-right font-medium">Amount</th>
              <th className="px-3 py-2 font-medium">Status</th>
            </tr>
          </thead>
          <tbody>
            {p.sample.map((row) => (
              <tr key={`${row.line}-${row.import_id}`} className={`border-b border-line ${row.duplicate ? "text-muted" : ""}`}>
                <td className="px-3 py-1.5 tabular">{row.line}</td>
                <td className="px-3 py-1.5 tabular">{formatDay(row.date, locale)}</td>
                <td className="px-3 py-1.5">{row.payee}</td>
                <td className="max-w-64 truncate px-3 py-1.5">{row.description}</td>
                <td className="px-3 py-1.5 text-right">
                  <Money amount={row.amount} currency={account?.currency ?? "USD"} />
                </td>
                <td className="px-3 py-1.5">{row.duplicate ? <span className="chip">Duplicate: already imported</span> : <span className="chip text-positive">New</span>}</td>
              </tr>
            ))}
            {p.errors.map((e) => (
              <tr key={`error-${e.line}`} className="border-b border-line bg-surface-1">
                <td className="px-3 py-1.5 tabular">{e.line}</td>
                <td colSpan={4} className="px-3 py-1.5 text-negative">
                  {e.message}
                </td>
                <td className="px-3 py-1.5">
                  <span className="chip text-negative">Cannot import</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex gap-2">
        <button className="btn" onClick={onBack}>
          Back
        </button>
        <button
          className="btn-primary"
          disabled={busy || (preview.new_rows === 0 && !several)}
          onClick={() => void onCommit(several ? Object.fromEntries(Object.entries(map).filter(([, v]) => v)) : null)}
        >
          {preview.new_rows === 0 && !several ? "Nothing new to import" : busy ? "Starting…" : `Import ${preview.new_rows} rows`}
        </button>
      </div>
    </div>
  );
}

function ProgressStep({
  ledgerId,
  initial,
  startedAt,
  onAnother,
}: {
  ledgerId: string;
  initial: ImportView;
  startedAt: number;
  onAnother: () => void;
}) {
  const view = useImport(ledgerId, initial.id, initial).data ?? initial;
  const client = useQueryClient();
  const [undone, setUndone] = useState<string | null>(null);
  const total = Math.max(view.total_rows, 1);
  const percent = Math.min(100, Math.round((view.committed_rows / total) * 100));
  const now = useNow(view.status === "queued" || view.status === "running");
  const left = secondsLeft(view.committed_rows, view.total_rows, now - startedAt);
  const finished = view.status === "completed";
  return (
    <div className="card space-y-4">
      <div>
        <div className="mb-1 flex justify-between text-sm">
          <span>
            {view.status === "failed"
              ? "The import failed"
              : finished
                ? "Imported"
                : view.status === "reverted"
                  ? "Undone"
                  : "Writing rows…"}
          </span>
          <span className="tabular">
            {view.committed_rows} of {view.total_rows}
            {left !== null && !finished && ` · about ${left} s left`}
          </span>
        </div>
        <div
          role="progressbar"
          aria-label="Rows written"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          className="h-3 overflow-hidden rounded-full bg-surface-2"
        >
          <div className="h-full rounded-full bg-accent transition-all" style={{ width: `${percent}%` }} />
        </div>
      </div>
      {view.status === "failed" && <p className="text-negative">{view.error}</p>}
      {finished && (
        <div className="space-y-3">
          <p>
            <span className="font-semibold tabular">{view.inserted_rows}</span> new transactions,{" "}
            <span className="tabular">{view.committed_rows - view.inserted_rows}</span> duplicates skipped
            {view.error_rows > 0 && `, ${view.error_rows} rows could not be read`}.
          </p>
          <div className="flex flex-wrap gap-2">
            <Link className="btn-primary no-underline" to={`/transactions?import=${view.id}`}>
              See the imported rows
            </Link>
            <button
              className="btn"
              onClick={() =>
                void undoImport(ledgerId, view.id).then(
                  (reverted) => {
                    client.setQueryData(importKeys.one(ledgerId, view.id), reverted);
                    setUndone(null);
                  },
                  (e: unknown) => setUndone(e instanceof ApiError ? e.message : "not undone"),
                )
              }
            >
              Undo this import
            </button>
            <button className="btn" onClick={onAnother}>
              Import another file
            </button>
          </div>
          {undone && <p className="text-negative">{undone}</p>}
        </div>
      )}
      {view.status === "reverted" && (
        <button className="btn" onClick={onAnother}>
          Import another file
        </button>
      )}
    </div>
  );
}

/** The time, refreshed every second while `ticking`. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

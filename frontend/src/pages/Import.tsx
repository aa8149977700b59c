import { useCallback, useEffect, useRef, useState } from 'react'
import { toUIError, useApi } from '../api'
import type {
  ImportFieldSpec, ImportFileInfo, ImportLayout, ImportPreview, ImportProgress, ImportRequest, ImportResult, Label, Options, UIError,
} from '../api'
import { ErrorMessage, FilePath, ProgressBar, encodingName, fileSize } from '../components/common'
import { LinkRunner } from '../components/LinkRunner'
import { useOffline } from '../offline'
import { useT } from '../i18n'

// CUSTOM is the layout select's value for a column mapping built on this screen.
const CUSTOM = '__custom'

function emptyLayout(): ImportLayout {
  return { name: '', label: '', builtin: false, perItem: false, columns: {}, methods: {}, statuses: {}, note: '' }
}

// guessColumns starts a mapping from the header: a column named like a field is picked.
function guessColumns(fields: ImportFieldSpec[], header: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const f of fields) {
    const h = header.find((x) => x.trim() === f.label.ja || x.trim() === f.label.en)
    if (h) out[f.field] = [h]
  }
  return out
}

function nonEmpty(m: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => v !== ''))
}

// ImportPage is 受注取込: a back office's order CSV read, checked (every problem with
// its line in the file) and only then saved, all or nothing. Afterwards the orders are
// linked to their transactions at the gateway.
export function ImportPage({ onOpenUnlinked }: { onOpenUnlinked: () => void }) {
  const api = useApi()
  const t = useT()
  const offline = useOffline() // the offline copy is read-only
  const [path, setPath] = useState('')
  const [encoding, setEncoding] = useState('') // '' = detect
  const [file, setFile] = useState<ImportFileInfo | null>(null)
  const [reading, setReading] = useState(false)
  const [layouts, setLayouts] = useState<ImportLayout[]>([])
  const [fields, setFields] = useState<ImportFieldSpec[]>([])
  const [options, setOptions] = useState<Options | null>(null)
  const [layoutName, setLayoutName] = useState('')
  const [custom, setCustom] = useState<ImportLayout>(emptyLayout)
  const [methods, setMethods] = useState<Record<string, string>>({})
  const [statuses, setStatuses] = useState<Record<string, string>>({})
  const [saveName, setSaveName] = useState('')
  const [confirmDelete, setConfirmDelete] = useState(false)
  const [preview, setPreview] = useState<ImportPreview | null>(null)
  const [previewKey, setPreviewKey] = useState('')
  const [result, setResult] = useState<ImportResult | null>(null)
  const [phase, setPhase] = useState<'' | 'check' | 'save'>('')
  const [progress, setProgress] = useState<ImportProgress | null>(null)
  const [stopping, setStopping] = useState(false)
  const stopped = useRef(false)
  const [notice, setNotice] = useState('')
  const [error, setError] = useState<UIError | null>(null)

  const loadLayouts = useCallback(() => api.importLayouts().then(setLayouts).catch((e) => setError(toUIError(e))), [api])
  useEffect(() => {
    loadLayouts()
    api.importFields().then(setFields).catch((e) => setError(toUIError(e)))
    api.options().then(setOptions).catch((e) => setError(toUIError(e)))
  }, [api, loadLayouts])
  useEffect(() => api.onEvent('import:progress', (d) => setProgress(d as ImportProgress)), [api])

  const selected = layouts.find((l) => l.name === layoutName)
  const effective = layoutName === CUSTOM ? custom : selected
  const request = (): ImportRequest => ({
    path: file?.path ?? path.trim(), encoding, layout: layoutName === CUSTOM ? '' : layoutName,
    inline: layoutName === CUSTOM ? custom : null, methods: nonEmpty(methods), statuses: nonEmpty(statuses),
  })
  const key = JSON.stringify(request())
  const fresh = preview !== null && previewKey === key
  const busy = phase !== '' || reading

  const inspect = async (p: string, enc: string, keepLayout: boolean) => {
    setError(null)
    setNotice('')
    setResult(null)
    setPreview(null)
    setReading(true)
    try {
      const f = await api.importInspect(p.trim(), enc)
      setFile(f)
      if (f.path) setPath(f.path)
      if (!keepLayout || layoutName === '') {
        setMethods({})
        setStatuses({})
        if (f.suggested) {
          setLayoutName(f.suggested)
        } else {
          setLayoutName(CUSTOM)
          setCustom({ ...emptyLayout(), columns: guessColumns(fields, f.header) })
        }
      }
    } catch (e) {
      setFile(null)
      setError(toUIError(e))
    } finally {
      setReading(false)
    }
  }
  const browse = async () => {
    setError(null)
    try {
      const p = await api.importChooseFile()
      if (p) {
        setPath(p)
        inspect(p, encoding, false)
      }
    } catch (e) {
      setError(toUIError(e))
    }
  }

  // run previews or commits with progress; 中止 makes the call end with nothing saved.
  const run = async <T,>(which: 'check' | 'save', call: () => Promise<T>): Promise<T | null> => {
    stopped.current = false
    setStopping(false)
    setPhase(which)
    setProgress(null)
    setError(null)
    setNotice('')
    try {
      return await call()
    } catch (e) {
      if (stopped.current) setNotice(t.importStopped)
      else setError(toUIError(e))
      return null
    } finally {
      setPhase('')
    }
  }
  const check = async () => {
    const req = request()
    const k = JSON.stringify(req)
    const p = await run('check', () => api.importPreview(req))
    if (p) {
      setPreview(p)
      setPreviewKey(k)
    }
  }
  const commit = async () => {
    const req = request()
    const r = await run('save', () => api.importCommit(req))
    if (r) {
      setResult(r)
      setPreview(null)
    }
  }
  const stop = () => {
    stopped.current = true
    setStopping(true)
    api.importCancel().catch((e) => setError(toUIError(e)))
  }

  const pickLayout = (name: string) => {
    setLayoutName(name)
    setConfirmDelete(false)
    if (name === CUSTOM && file && Object.keys(custom.columns).length === 0) {
      setCustom({ ...emptyLayout(), columns: guessColumns(fields, file.header) })
    }
  }
  // editLayout copies the chosen layout into the mapping builder.
  const editLayout = () => {
    if (!selected) return
    // A preset may name alternatives ("A|B": A, else B): the builder shows the one this file has.
    const pick = (c: string) => (c.includes('|') ? c.split('|').find((x) => file?.header.includes(x)) ?? c.split('|')[0] : c)
    const columns = Object.fromEntries(Object.entries(selected.columns).map(([k, cols]) => [k, cols.map(pick)]))
    setCustom({ ...selected, builtin: false, columns })
    setSaveName(selected.builtin ? t.importOwnCopy(selected.label) : selected.label || selected.name)
    setLayoutName(CUSTOM)
  }
  // saveLayout keeps the mapping and the word map (what this screen shows) by name.
  const saveLayout = async () => {
    const base = effective ?? emptyLayout()
    const name = saveName.trim()
    if (!name) return
    const l: ImportLayout = {
      ...base, name, label: name, builtin: false,
      methods: { ...base.methods, ...nonEmpty(methods) }, statuses: { ...base.statuses, ...nonEmpty(statuses) },
    }
    setError(null)
    try {
      await api.importSaveLayout(l)
      await loadLayouts()
      setLayoutName(name)
      setMethods({})
      setStatuses({})
      setNotice(t.importLayoutSaved(name))
      if (preview && file) {
        const req: ImportRequest = { path: file.path, encoding, layout: name, inline: null, methods: {}, statuses: {} }
        const p = await run('check', () => api.importPreview(req))
        if (p) {
          setPreview(p)
          setPreviewKey(JSON.stringify(req))
        }
      }
    } catch (e) {
      setError(toUIError(e))
    }
  }
  const deleteLayout = async () => {
    if (!selected || selected.builtin) return
    setConfirmDelete(false)
    setError(null)
    try {
      await api.importDeleteLayout(selected.name)
      await loadLayouts()
      setLayoutName(file?.suggested && file.suggested !== selected.name ? file.suggested : '')
      setNotice(t.importLayoutDeleted(selected.label || selected.name))
    } catch (e) {
      setError(toUIError(e))
    }
  }
  const reset = () => {
    setFile(null)
    setPath('')
    setPreview(null)
    setResult(null)
    setMethods({})
    setStatuses({})
    setNotice('')
    setError(null)
  }

  const methodChoices: Label[] = [...(options?.methods ?? [])]
  if (!methodChoices.some((m) => m.code === 'other')) methodChoices.push({ code: 'other', ja: 'その他（銀行振込・代金引換など）', en: 'Other (bank transfer, COD…)' })
  const builtins = layouts.filter((l) => l.builtin)
  const saved = layouts.filter((l) => !l.builtin)
  const words = preview ? [...preview.unknownMethods, ...preview.unknownStatuses] : []
  const mapped = Object.keys(nonEmpty(methods)).length + Object.keys(nonEmpty(statuses)).length

  return (
    <section className="page import" data-testid="import-page">
      <h1>{t.navImport}</h1>
      {notice && <div className="notice" role="status" data-testid="notice">{notice}</div>}
      <ErrorMessage error={error} />

      {result ? (
        <div className="card" data-testid="import-result">
          <h2>{t.importDoneTitle}</h2>
          <p data-testid="import-result-counts">{t.importDone(result)}</p>
          {result.conflicts > 0 && <p className="warn">{t.importConflictsKept(result.conflicts)}</p>}
          {result.queuedForLink > 0 && <p>{t.importLinkLead}</p>}
          <LinkRunner />
          <div className="buttons">
            <button className="link" data-testid="import-open-unlinked" onClick={onOpenUnlinked}>{t.importOpenUnlinked}</button>
            <button data-testid="import-again" onClick={reset}>{t.importAgain}</button>
          </div>
        </div>
      ) : (
        <>
          <div className="card">
            <h2>{t.importFile}</h2>
            <p className="muted">{t.importLead}</p>
            <FilePath testId="import-file" value={path} onChange={setPath} onBrowse={browse} disabled={busy}
              onLoad={() => inspect(path, encoding, false)} />
            {file && (
              <div data-testid="import-file-info">
                <dl className="file-facts">
                  <dt>{t.fileName}</dt><dd data-testid="import-file-name">{file.name}</dd>
                  <dt>{t.fileSize}</dt><dd>{fileSize(file.size)}</dd>
                  <dt>{t.encoding}</dt>
                  <dd>
                    <select data-testid="import-encoding" value={encoding} disabled={busy} onChange={(e) => {
                      setEncoding(e.target.value)
                      inspect(file.path, e.target.value, true)
                    }}>
                      <option value="">{t.encodingAuto(encodingName(file.detected || file.encoding, t.lang))}</option>
                      <option value="cp932">Shift_JIS (CP932)</option>
                      <option value="utf-8">UTF-8</option>
                    </select>
                  </dd>
                </dl>
                <div className="sample" data-testid="import-sample">
                  <table>
                    <thead><tr><th className="num">{t.line}</th>{file.header.map((h, i) => <th key={i}>{h}</th>)}</tr></thead>
                    <tbody>
                      {file.sample.map((r, i) => (
                        <tr key={i}><td className="num muted">{i + 2}</td>{file.header.map((_, j) => <td key={j}>{r[j] ?? ''}</td>)}</tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <p className="sub">{t.importSampleNote}</p>
              </div>
            )}
          </div>

          {file && (
            <div className="card" data-testid="import-layout-card">
              <h2>{t.importLayout}</h2>
              <div className="layout-row">
                <select data-testid="import-layout" value={layoutName} disabled={busy} onChange={(e) => pickLayout(e.target.value)}>
                  {layoutName === '' && <option value="">{t.choose}</option>}
                  {builtins.length > 0 && (
                    <optgroup label={t.importPresets}>
                      {builtins.map((l) => <option key={l.name} value={l.name}>{l.label}{l.name === file.suggested ? t.importSuggested : ''}</option>)}
                    </optgroup>
                  )}
                  {saved.length > 0 && (
                    <optgroup label={t.importSaved}>
                      {saved.map((l) => <option key={l.name} value={l.name}>{l.label || l.name}{l.name === file.suggested ? t.importSuggested : ''}</option>)}
                    </optgroup>
                  )}
                  <option value={CUSTOM}>{t.importCustom}</option>
                </select>
                {selected && <button data-testid="import-edit-layout" disabled={busy} onClick={editLayout}>{t.importEditLayout}</button>}
                {selected && !selected.builtin && !confirmDelete && (
                  <button className="danger" data-testid="import-delete-layout" disabled={busy} onClick={() => setConfirmDelete(true)}>{t.deleteProfile}</button>
                )}
              </div>
              {selected?.note && <p className="sub">{selected.note}</p>}
              {confirmDelete && selected && (
                <div className="warn-box">
                  {t.importDeleteConfirm(selected.label || selected.name)}
                  <button className="danger" data-testid="import-delete-confirm" onClick={deleteLayout}>{t.yes}</button>
                  <button onClick={() => setConfirmDelete(false)}>{t.no}</button>
                </div>
              )}
              {layoutName === CUSTOM && (
                <MappingBuilder fields={fields} header={file.header} layout={custom} onChange={setCustom} disabled={busy} />
              )}
              {(layoutName === CUSTOM || mapped > 0) && (
                <div className="save-layout">
                  <label className="field">
                    <span>{t.importSaveName}</span>
                    <input data-testid="import-save-name" value={saveName} placeholder={t.importSaveNameHint} onChange={(e) => setSaveName(e.target.value)} />
                  </label>
                  <button data-testid="import-save-layout" disabled={busy || !saveName.trim()} onClick={saveLayout}>{t.importSaveLayout}</button>
                </div>
              )}
              <div className="buttons">
                <button className="primary" data-testid="import-preview" disabled={busy || layoutName === ''} onClick={check}>{t.importCheck}</button>
              </div>
            </div>
          )}

          {phase !== '' && (
            <ProgressBar testId="import-progress" onCancel={stop} stopping={stopping}
              text={phase === 'check' ? t.importChecking(progress?.rows ?? 0) : t.importSaving(progress?.rows ?? 0)}
              value={progress?.bytes ?? 0} max={progress?.totalBytes ?? 0} />
          )}

          {preview && (
            <div className="card" data-testid="import-preview-result" data-ok={preview.ok}>
              <h2>{t.importPreviewTitle}</h2>
              <p>{t.importRead(preview.rows, preview.orders, encodingName(preview.encoding, t.lang))}</p>
              <div className="counts">
                <Count testId="import-count-new" label={t.importNew} n={preview.new} />
                <Count testId="import-count-updated" label={t.importUpdated} n={preview.updated} />
                <Count testId="import-count-unchanged" label={t.importUnchanged} n={preview.unchanged} />
                <Count testId="import-count-invalid" label={t.importInvalid} n={preview.invalid} bad />
                <Count testId="import-count-conflicts" label={t.importConflicts} n={preview.conflicts} bad />
              </div>
              {preview.withGatewayIds > 0 && <p className="sub">{t.importWithIds(preview.withGatewayIds)}</p>}
              {!fresh ? <div className="warn-box" data-testid="import-stale">{t.importStale}</div>
                : preview.ok ? <div className="notice" data-testid="import-ok">{t.importOk}</div>
                  : <div className="warn-box" data-testid="import-not-ok">{t.importNotOk}</div>}

              {preview.problems.length > 0 && (
                <>
                  <h3>{t.importProblems}</h3>
                  <table className="issues" data-testid="import-problems">
                    <thead><tr><th className="num">{t.line}</th><th>{t.column}</th><th>{t.detail}</th></tr></thead>
                    <tbody>
                      {preview.problems.map((p, i) => (
                        <tr key={i} data-testid="import-problem" data-line={p.line}>
                          <td className="num">{p.line > 0 ? t.lineNo(p.line) : ''}</td>
                          <td>{p.column}</td>
                          <td>{t.lang === 'en' ? p.messageEn || p.message : p.message}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  {preview.problemsTotal > preview.problems.length && (
                    <p className="sub" data-testid="import-problems-more">{t.importMoreProblems(preview.problemsTotal - preview.problems.length)}</p>
                  )}
                </>
              )}

              {preview.conflictList.length > 0 && (
                <>
                  <h3>{t.importConflicts}</h3>
                  <p className="sub">{t.importConflictsHelp}</p>
                  <table className="issues" data-testid="import-conflicts">
                    <thead><tr><th>{t.orderNo}</th><th className="num">{t.line}</th><th>{t.reason}</th></tr></thead>
                    <tbody>
                      {preview.conflictList.map((c, i) => (
                        <tr key={i} data-testid="import-conflict">
                          <td className="mono">{c.orderNo}</td><td className="num">{c.line > 0 ? t.lineNo(c.line) : ''}</td><td>{c.reason}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}

              {(words.length > 0 || mapped > 0) && (
                <div data-testid="import-words">
                  <h3>{t.importWords}</h3>
                  <p className="sub">{t.importWordsHelp}</p>
                  <table className="words">
                    <thead><tr><th>{t.importShopWord}</th><th>{t.importOurWord}</th></tr></thead>
                    <tbody>
                      {[...new Set([...preview.unknownMethods, ...Object.keys(methods)])].map((w) => (
                        <tr key={`m${w}`} data-testid="import-word" data-word={w}>
                          <td>{w} <span className="sub">{t.inParens(t.paymentMethod)}</span></td>
                          <td>
                            <select data-testid={`import-method-${w}`} value={methods[w] ?? ''} onChange={(e) => setMethods({ ...methods, [w]: e.target.value })}>
                              <option value="">{t.choose}</option>
                              {methodChoices.map((m) => <option key={m.code} value={m.code}>{t.label(m)}</option>)}
                            </select>
                          </td>
                        </tr>
                      ))}
                      {[...new Set([...preview.unknownStatuses, ...Object.keys(statuses)])].map((w) => (
                        <tr key={`s${w}`} data-testid="import-word" data-word={w}>
                          <td>{w} <span className="sub">{t.inParens(t.status)}</span></td>
                          <td>
                            <select data-testid={`import-status-${w}`} value={statuses[w] ?? ''} onChange={(e) => setStatuses({ ...statuses, [w]: e.target.value })}>
                              <option value="">{t.choose}</option>
                              {(options?.statuses ?? []).map((s) => <option key={s.code} value={s.code}>{t.label(s)}</option>)}
                            </select>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  <div className="buttons">
                    <button data-testid="import-remap" disabled={busy || mapped === 0 || fresh} onClick={check}>{t.importRecheck}</button>
                  </div>
                  {mapped > 0 && layoutName !== CUSTOM && <p className="sub">{t.importWordsSaveHint}</p>}
                </div>
              )}

              <div className="buttons">
                <button className="primary" data-testid="import-commit" disabled={busy || !fresh || !preview.ok || !!offline} title={offline || undefined} onClick={commit}>{t.importCommit}</button>
                {!fresh && words.length === 0 && mapped === 0 && (
                  <button data-testid="import-recheck" disabled={busy} onClick={check}>{t.importCheck}</button>
                )}
              </div>
            </div>
          )}
        </>
      )}
    </section>
  )
}

function Count({ label, n, testId, bad }: { label: string; n: number; testId: string; bad?: boolean }) {
  return (
    <div className={`count-box ${bad && n > 0 ? 'bad' : ''}`} data-testid={testId} data-count={n}>
      <span>{label}</span>
      <strong>{n.toLocaleString('ja-JP')}</strong>
    </div>
  )
}

// MappingBuilder maps each of our fields to the file's columns; several columns are
// joined in order (姓 + 名).
function MappingBuilder({ fields, header, layout, onChange, disabled }: {
  fields: ImportFieldSpec[]
  header: string[]
  layout: ImportLayout
  onChange: (l: ImportLayout) => void
  disabled: boolean
}) {
  const t = useT()
  // A header may name two columns alike (EC-CUBE 4's 送料): the second is "送料#2".
  const seen: Record<string, number> = {}
  const options = header.map((h) => {
    seen[h] = (seen[h] ?? 0) + 1
    return seen[h] === 1 ? { value: h, label: h } : { value: `${h}#${seen[h]}`, label: t.mappingNth(h, seen[h]) }
  })
  const columns = options.map((o) => o.value)
  const setCols = (field: string, cols: string[]) => {
    const next = { ...layout.columns }
    if (cols.length === 0) delete next[field]
    else next[field] = cols
    onChange({ ...layout, columns: next })
  }
  const groups: string[] = []
  for (const f of fields) if (!groups.includes(f.group)) groups.push(f.group)
  return (
    <div className="mapping" data-testid="mapping-builder">
      <p className="sub">{t.mappingHelp}</p>
      <label className="check">
        <input type="checkbox" data-testid="mapping-per-item" checked={layout.perItem} disabled={disabled}
          onChange={(e) => onChange({ ...layout, perItem: e.target.checked })} /> {t.mappingPerItem}
      </label>
      <table className="mapping-table">
        <thead><tr><th>{t.mappingField}</th><th>{t.mappingColumns}</th></tr></thead>
        {groups.map((g) => (
          <tbody key={g}>
            {t.importGroup[g] && <tr className="group"><th colSpan={2}>{t.importGroup[g]}</th></tr>}
            {fields.filter((f) => f.group === g).map((f) => {
              const cols = layout.columns[f.field] ?? []
              const shown = cols.length === 0 ? [''] : cols
              return (
                <tr key={f.field} data-testid={`mapping-${f.field}`}>
                  <td>
                    {t.label(f.label)}
                    {(f.required || (layout.perItem && f.requiredPerItem)) && <span className="tag warn">{t.required}</span>}
                    {f.perItem && <span className="sub"> {t.mappingItemField}</span>}
                    {f.help && <div className="sub">{f.help}</div>}
                  </td>
                  <td className="mapping-cols">
                    {shown.map((c, i) => (
                      <span key={i} className="mapping-col">
                        {i > 0 && <span className="muted">＋</span>}
                        <select data-testid={`mapping-${f.field}-${i}`} value={c} disabled={disabled} onChange={(e) => {
                          const next = [...cols]
                          if (e.target.value === '') next.splice(i, 1)
                          else next[i] = e.target.value
                          setCols(f.field, next)
                        }}>
                          <option value="">{t.mappingNone}</option>
                          {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
                          {c !== '' && !columns.includes(c) && <option value={c}>{t.mappingMissing(c)}</option>}
                        </select>
                      </span>
                    ))}
                    {cols.length > 0 && (
                      <button type="button" className="link" data-testid={`mapping-${f.field}-add`} disabled={disabled}
                        onClick={() => setCols(f.field, [...cols, columns.find((h) => !cols.includes(h)) ?? columns[0]])}>{t.mappingJoin}</button>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        ))}
      </table>
    </div>
  )
}

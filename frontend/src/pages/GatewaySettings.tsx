import { useCallback, useEffect, useState } from 'react'
import { toUIError, useApi } from '../api'
import type { CertificateView, GatewayKindInfo, LinkRule, ProfileInput, ProfileView, TestResult, UIError } from '../api'
import { ErrorMessage, Spinner } from '../components/common'
import { dateTime, useT } from '../i18n'

const allMethods: [string, string][] = [['card', 'クレジットカード決済'], ['konbini', 'コンビニ決済'], ['payeasy', 'ATM決済(ペイジー)'], ['netbank', '銀行ネット決済']]

function blank(kind: string): ProfileInput {
  return { id: 0, name: '', kind, environment: 'test', host: '', merchantId: '', subId: '', methods: ['card'],
    authExpiryDays: '', feePerOperation: '', autoCapture: false, secrets: {}, differenceInquiry: false, linkRule: linkRulePresets.plain,
    salesCancelFrom: 'sale', salesCancelDays: '' }
}

// The rules by which back offices form the gateway's id from the order number
// (research/shop-csv-linking.md §2).
export type LinkRulePreset = 'plain' | 'makeshop' | 'eccube_gmo' | 'affix'
export const linkRulePresets: Record<Exclude<LinkRulePreset, 'affix'>, LinkRule> = {
  plain: { prefix: '', suffix: '', retrySuffixes: false, timestamped: false },
  makeshop: { prefix: '', suffix: '', retrySuffixes: true, timestamped: false },
  eccube_gmo: { prefix: '', suffix: '', retrySuffixes: false, timestamped: true },
}

export function presetOf(r: LinkRule | undefined): LinkRulePreset {
  if (!r) return 'plain'
  if (r.timestamped) return 'eccube_gmo'
  if (r.prefix || r.suffix) return 'affix'
  return r.retrySuffixes ? 'makeshop' : 'plain'
}

// The form's example for the rule, like the saved profile's linkRuleText.
export const exampleOrderNo = '100123'
export function linkRuleExample(r: LinkRule, lang: 'ja' | 'en'): string {
  const id = `${r.prefix}${exampleOrderNo}${r.suffix}`
  if (r.timestamped) {
    return lang === 'en'
      ? `Order no. ${exampleOrderNo} → ${exampleOrderNo}-20061530 (a date and time is added at checkout, so link with the console's transaction CSV or by hand)`
      : `注文番号 ${exampleOrderNo} → ${exampleOrderNo}-20061530 のように日時が付くため、管理画面の取引CSVか手入力で連携します`
  }
  const retry = r.retrySuffixes
    ? (lang === 'en' ? ` (if not found: ${id}-1 … ${id}-9)` : `（見つからなければ ${id}-1 〜 ${id}-9 も照会）`)
    : ''
  return lang === 'en' ? `Order no. ${exampleOrderNo} → ${id}${retry}` : `注文番号 ${exampleOrderNo} → ${id}${retry}`
}

// GatewaySettings is ゲートウェイ設定: the shop's gateway contracts, their secrets
// (write-only: the screen shows only whether each is saved) and the 接続テスト.
export function GatewaySettings() {
  const api = useApi()
  const t = useT()
  const [kinds, setKinds] = useState<GatewayKindInfo[]>([])
  const [list, setList] = useState<ProfileView[]>([])
  const [form, setForm] = useState<ProfileInput | null>(null)
  const [error, setError] = useState<UIError | null>(null)
  const [tests, setTests] = useState<Record<number, TestResult | 'running'>>({})
  const [confirmDelete, setConfirmDelete] = useState<ProfileView | null>(null)
  const [rulePreset, setRulePreset] = useState<LinkRulePreset>('plain')
  // The form's 接続テスト: 'running', or its result for the form as it was tested.
  const [draftTest, setDraftTest] = useState<TestResult | 'running' | null>(null)
  const [cert, setCert] = useState<CertificateView | null>(null)

  const load = useCallback(() => {
    api.profiles().then(setList).catch((e) => setError(toUIError(e)))
  }, [api])
  useEffect(() => {
    api.gatewayKinds().then(setKinds).catch((e) => setError(toUIError(e)))
    load()
  }, [api, load])

  const kind = kinds.find((k) => k.code === form?.kind)
  const set = <K extends keyof ProfileInput>(k: K, v: ProfileInput[K]) => {
    setForm((f) => (f ? { ...f, [k]: v } : f))
    setDraftTest(null) // a change is tested again before it is saved
  }
  const close = () => {
    setForm(null)
    setError(null)
    setDraftTest(null)
    setCert(null)
  }
  // Save tests the profile as typed first; a failed test saves nothing. The operator
  // may still save a profile whose test failed (a gateway down today), once told.
  const save = async (e: React.FormEvent) => {
    e.preventDefault()
    if (!form) return
    setError(null)
    let result = draftTest
    if (!result || result === 'running') {
      setDraftTest('running')
      try {
        result = await api.testProfileDraft(form)
      } catch (err) {
        setDraftTest(null)
        setError(toUIError(err))
        return
      }
      setDraftTest(result)
      if (!result.ok) return
    }
    try {
      await api.saveProfile(form)
      close()
      load()
    } catch (err) {
      setError(toUIError(err))
    }
  }
  const testDraft = async () => {
    if (!form) return
    setError(null)
    setDraftTest('running')
    try {
      setDraftTest(await api.testProfileDraft(form))
    } catch (err) {
      setDraftTest(null)
      setError(toUIError(err))
    }
  }
  const pickCert = async () => {
    if (!form) return
    setError(null)
    try {
      const c = await api.readCertificate('', form.secrets.client_cert_pass ?? '')
      if (!c) return
      setCert(c)
      set('secrets', { ...form.secrets, client_cert: c.content })
    } catch (err) {
      setError(toUIError(err))
    }
  }
  const checkCert = async () => {
    if (!form?.secrets.client_cert) return
    setError(null)
    try {
      setCert(await api.checkCertificate(form.secrets.client_cert, form.secrets.client_cert_pass ?? ''))
    } catch (err) {
      setCert(null)
      setError(toUIError(err))
    }
  }
  const test = async (id: number) => {
    setTests((x) => ({ ...x, [id]: 'running' }))
    try {
      const r = await api.testProfile(id)
      setTests((x) => ({ ...x, [id]: r }))
    } catch (err) {
      setTests((x) => ({ ...x, [id]: { ok: false, message: toUIError(err).message } }))
    }
  }
  const edit = (p: ProfileView) => {
    setDraftTest(null)
    setCert(null)
    const linkRule = p.linkRule ?? linkRulePresets.plain
    setRulePreset(presetOf(linkRule))
    setForm({
      id: p.id, name: p.name, kind: p.kind, environment: p.environment, host: p.host, merchantId: p.merchantId, subId: p.subId,
      methods: p.methods, authExpiryDays: String(p.authExpiryDays), feePerOperation: String(p.feePerOperation), autoCapture: p.autoCapture, secrets: {},
      differenceInquiry: p.differenceInquiry, linkRule,
      salesCancelFrom: p.salesCancelFrom || 'sale', salesCancelDays: p.salesCancelDays ? String(p.salesCancelDays) : '',
    })
  }
  const pickPreset = (preset: LinkRulePreset) => {
    setRulePreset(preset)
    set('linkRule', preset === 'affix' ? { prefix: form?.linkRule.prefix ?? '', suffix: form?.linkRule.suffix ?? '', retrySuffixes: false, timestamped: false }
      : linkRulePresets[preset])
  }
  const setRule = <K extends keyof LinkRule>(k: K, v: LinkRule[K]) => setForm((f) => (f ? { ...f, linkRule: { ...f.linkRule, [k]: v } } : f))

  return (
    <div className="card" data-testid="gateway-settings">
      <h2>{t.gatewaysTitle}</h2>
      <ErrorMessage error={error} />
      {list.map((p) => {
        const r = tests[p.id]
        return (
          <div className="profile" key={p.id} data-testid="profile-row" data-profile-id={p.id}>
            <div className="profile-head">
              <strong>{p.name}</strong>
              <span className="muted">{p.kindLabel}{t.listSep}{p.environment === 'production' ? t.envProduction : t.envTest}</span>
              {p.demo && <span className="tag">{t.demo}</span>}
              <button data-testid="profile-test" disabled={r === 'running'} onClick={() => test(p.id)}>{t.testConnection}</button>
              {!p.demo && <button onClick={() => edit(p)}>{t.editProfile}</button>}
              {!p.demo && <button className="danger" onClick={() => setConfirmDelete(p)}>{t.deleteProfile}</button>}
            </div>
            {!p.demo && (
              <div className="sub">
                {p.merchantId}{p.host && `${t.listSep}${p.host}`}{t.listSep}{p.secrets.map((s) => `${s.label}: ${s.set ? t.secretSet.split(/[（(]/)[0].trim() : t.secretNotSet}`).join(t.listSep)}
              </div>
            )}
            {!p.demo && p.linkRuleText && <div className="sub" data-testid="profile-link-rule">{t.linkRuleTitle}: {p.linkRuleText}</div>}
            {p.kind === 'paygent' && p.certNotAfter && (
              <div className={p.certExpiring ? 'warn' : 'sub'} data-testid="profile-cert">
                {t.set.certInfo(p.certSubject ?? '', dateTime(p.certNotAfter).slice(0, 10), p.certDaysLeft ?? 0)}
                {p.certExpiring && <> — {t.set.certExpiring(p.certDaysLeft ?? 0)}</>}
              </div>
            )}
            {p.kind === 'paygent' && p.certProblem && <div className="warn" data-testid="profile-cert-problem">{p.certProblem}</div>}
            {p.kind === 'paygent' && !!p.salesCancelDays && (
              <div className="sub" data-testid="profile-cancel-window">{t.salesCancelWindow}: {t.salesCancelText(p.salesCancelFrom ?? 'sale', p.salesCancelDays)}</div>
            )}
            {r === 'running' && <Spinner text={t.testing} />}
            {r && r !== 'running' && <div className={r.ok ? 'notice' : 'error'} data-testid="profile-test-result" data-ok={r.ok}>{r.message}</div>}
            {confirmDelete?.id === p.id && (
              <div className="warn-box">
                {t.deleteProfileConfirm(p.name)}
                <button className="danger" data-testid="profile-delete-confirm" onClick={async () => {
                  setConfirmDelete(null)
                  try {
                    await api.deleteProfile(p.id)
                    load()
                  } catch (err) {
                    setError(toUIError(err))
                  }
                }}>{t.yes}</button>
                <button onClick={() => setConfirmDelete(null)}>{t.no}</button>
              </div>
            )}
          </div>
        )
      })}
      {!form && <button data-testid="profile-add" onClick={() => {
        setDraftTest(null)
        setCert(null)
        setRulePreset('plain')
        setForm(blank(kinds[0]?.code ?? 'gmo'))
      }}>{t.addProfile}</button>}
      {form && (
        <form className="profile" data-testid="profile-form" onSubmit={save}>
          <div className="form-grid">
            <label className="field"><span>{t.profileName}</span>
              <input data-testid="profile-name" size={24} maxLength={40} value={form.name} onChange={(e) => set('name', e.target.value)} /></label>
            <label className="field"><span>{t.gateway}</span>
              <select data-testid="profile-kind" value={form.kind} disabled={form.id !== 0} onChange={(e) => set('kind', e.target.value)}>
                {kinds.map((k) => <option key={k.code} value={k.code}>{k.ja}</option>)}
              </select></label>
            <label className="field"><span>{t.environment}</span>
              <select data-testid="profile-env" value={form.environment} onChange={(e) => set('environment', e.target.value)}>
                <option value="test">{t.envTest}</option><option value="production">{t.envProduction}</option>
              </select></label>
            <label className="field"><span>{t.host}</span>
              <input data-testid="profile-host" size={36} value={form.host} placeholder={form.environment === 'production' ? kind?.productionHost : kind?.testHost}
                onChange={(e) => set('host', e.target.value)} /></label>
            <label className="field"><span>{kind?.merchantLabel}</span>
              <input data-testid="profile-merchant" className="mono" size={16} value={form.merchantId} onChange={(e) => set('merchantId', e.target.value)} />
              {kind?.merchantHelp && <small className="muted help">{kind.merchantHelp}</small>}</label>
            {kind?.subLabel && <label className="field"><span>{kind.subLabel}</span>
              <input data-testid="profile-sub" className="mono" size={16} value={form.subId} onChange={(e) => set('subId', e.target.value)} />
              {kind?.subHelp && <small className="muted help">{kind.subHelp}</small>}</label>}
            {kind?.secrets.map((s) => {
              const saved = list.find((p) => p.id === form.id)?.secrets.find((x) => x.name === s.name)?.set
              return (
                <label className="field" key={s.name}><span>{s.label}{!s.required && t.optionalMark}{saved && t.inParens(t.secretSet)}</span>
                  {s.name === 'client_cert' ? (
                    <span className="cert-pick">
                      <button type="button" data-testid="profile-cert-file" onClick={pickCert}>{t.set.certFile}</button>
                      {form.secrets.client_cert && <button type="button" data-testid="profile-cert-check" onClick={checkCert}>{t.set.certCheck}</button>}
                      {cert && <small className={cert.expiring ? 'warn' : 'muted'} data-testid="profile-cert-info">
                        {cert.fileName && `${t.set.certLoaded(cert.fileName)} — `}{t.set.certInfo(cert.subject, dateTime(cert.notAfter).slice(0, 10), cert.daysLeft)}
                        {cert.expiring && <> — {t.set.certExpiring(cert.daysLeft)}</>}</small>}
                      {!cert && <textarea data-testid={`profile-secret-${s.name}`} rows={2} cols={40} className="mono small" value={form.secrets[s.name] ?? ''}
                        placeholder="-----BEGIN CERTIFICATE-----" onChange={(e) => set('secrets', { ...form.secrets, [s.name]: e.target.value })} />}
                    </span>
                  ) : s.name === 'ca_cert'
                    ? <textarea data-testid={`profile-secret-${s.name}`} rows={2} cols={40} className="mono small" value={form.secrets[s.name] ?? ''}
                      onChange={(e) => set('secrets', { ...form.secrets, [s.name]: e.target.value })} />
                    : <input type="password" autoComplete="off" size={24} data-testid={`profile-secret-${s.name}`} value={form.secrets[s.name] ?? ''}
                      onChange={(e) => set('secrets', { ...form.secrets, [s.name]: e.target.value })} />}
                </label>
              )
            })}
            <label className="field"><span>{t.authExpiryDays}</span>
              <input inputMode="numeric" size={5} value={form.authExpiryDays} placeholder={String(kind?.defaultExpiryDays ?? '')}
                onChange={(e) => set('authExpiryDays', e.target.value)} /></label>
            <label className="field"><span>{t.feePerOperation}</span>
              <input inputMode="numeric" size={6} value={form.feePerOperation} placeholder="0" onChange={(e) => set('feePerOperation', e.target.value)} /></label>
          </div>
          {kind?.secretsHelp && <p className="muted small help" data-testid="profile-secrets-help">{t.set.whereToFind}: {kind.secretsHelp}</p>}
          <fieldset>
            <legend>{t.methods}</legend>
            {allMethods.map(([code, ja]) => (
              <label key={code}><input type="checkbox" data-testid={`profile-method-${code}`} checked={form.methods.includes(code)}
                onChange={() => set('methods', form.methods.includes(code) ? form.methods.filter((m) => m !== code) : [...form.methods, code])} /> {ja}</label>
            ))}
          </fieldset>
          <fieldset className="link-rule" data-testid="link-rule">
            <legend>{t.linkRuleTitle}</legend>
            <div className="link-rule-body">
              <select data-testid="link-rule-preset" value={rulePreset} onChange={(e) => pickPreset(e.target.value as LinkRulePreset)}>
                <option value="plain">{t.linkRulePlain}</option>
                <option value="makeshop">{t.linkRuleMakeShop}</option>
                <option value="eccube_gmo">{t.linkRuleEcCubeGmo}</option>
                <option value="affix">{t.linkRuleAffix}</option>
              </select>
              {rulePreset === 'affix' && (
                <span className="affix">
                  <label>{t.linkRulePrefix} <input data-testid="link-rule-prefix" className="mono" size={8} value={form.linkRule.prefix}
                    onChange={(e) => setRule('prefix', e.target.value)} /></label>
                  <label>{t.linkRuleSuffix} <input data-testid="link-rule-suffix" className="mono" size={8} value={form.linkRule.suffix}
                    onChange={(e) => setRule('suffix', e.target.value)} /></label>
                  <label><input type="checkbox" data-testid="link-rule-retry" checked={form.linkRule.retrySuffixes}
                    onChange={(e) => setRule('retrySuffixes', e.target.checked)} /> {t.linkRuleRetry}</label>
                </span>
              )}
              <div className="sub" data-testid="link-rule-example">{t.example}: {linkRuleExample(form.linkRule, t.lang)}</div>
            </div>
          </fieldset>
          <label className="check"><input type="checkbox" checked={form.autoCapture} onChange={(e) => set('autoCapture', e.target.checked)} /> {t.autoCapture}</label>
          {form.kind === 'paygent' && (
            <fieldset data-testid="profile-cancel-window-form">
              <legend>{t.salesCancelWindow}</legend>
              <label>{t.salesCancelFrom}{' '}
                <select data-testid="profile-cancel-from" value={form.salesCancelFrom || 'sale'} onChange={(e) => set('salesCancelFrom', e.target.value)}>
                  <option value="auth">{t.salesCancelFromAuth}</option>
                  <option value="sale">{t.salesCancelFromSale}</option>
                </select>
              </label>{' '}
              <label>{t.salesCancelDays}{' '}
                <input data-testid="profile-cancel-days" inputMode="numeric" size={4} value={form.salesCancelDays} placeholder="60"
                  onChange={(e) => set('salesCancelDays', e.target.value)} />
              </label>
              {form.salesCancelDays.trim() !== '' && !/^[0-9]+$/.test(form.salesCancelDays.trim()) && (
                <div className="warn" data-testid="profile-cancel-days-bad">{t.daysDigits}</div>
              )}
              <div className="sub">{t.salesCancelHelp}</div>
            </fieldset>
          )}
          {form.kind === 'paygent' && (
            <label className="check"><input type="checkbox" data-testid="profile-feed" checked={form.differenceInquiry}
              onChange={(e) => set('differenceInquiry', e.target.checked)} /> {t.differenceInquiry}</label>
          )}
          {kind && !kind.supported && <p className="warn">{t.notSupportedYet}</p>}
          {draftTest === 'running' && (
            <div className="testing" data-testid="profile-draft-testing"><Spinner text={t.set.testRunning} />
              <button type="button" data-testid="profile-draft-stop" onClick={() => api.cancelProfileTest()}>{t.set.stopTest}</button></div>
          )}
          {draftTest && draftTest !== 'running' && (
            <div className={draftTest.ok ? 'notice' : 'error'} data-testid="profile-draft-result" data-ok={draftTest.ok}>{draftTest.message}</div>
          )}
          {error?.code === 'credential' && /キーチェーン|keychain/i.test(error.message) && <p className="warn-box">{t.set.keychainHelp}</p>}
          <div className="buttons">
            <button type="button" data-testid="profile-draft-test" disabled={draftTest === 'running'} onClick={testDraft}>{t.testConnection}</button>
            <button type="submit" className="primary" data-testid="profile-save" disabled={draftTest === 'running'}>
              {draftTest && draftTest !== 'running' && !draftTest.ok ? t.set.saveAnyway : t.save}</button>
            <button type="button" data-testid="profile-cancel" onClick={close}>{t.cancel}</button>
            <small className="muted">{t.set.testBeforeSave}</small>
          </div>
        </form>
      )}
    </div>
  )
}

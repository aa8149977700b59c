import { useEffect, useState } from 'react'
import { toUIError, useApi } from '../api'
import type { OrderDetail, ProfileView, TxIds, TxView, UIError } from '../api'
import { Badge, ErrorMessage, Spinner } from '../components/common'
import { useT, yen } from '../i18n'
import { TxCard } from './Unlinked'

type Checked = { profileId: number; ids: TxIds[]; views: TxView[] }

// LinkPanel (決済を連携) links one order to its transaction by hand: the operator
// types the ids as the gateway's console names them, the gateway is asked first
// (nothing is saved), and only a transaction that was checked can be attached.
export function LinkPanel({ order, onLinked }: { order: OrderDetail; onLinked: (message: string) => void }) {
  const api = useApi()
  const t = useT()
  const link = order.link
  const [profiles, setProfiles] = useState<ProfileView[] | null>(null)
  const [profileId, setProfileId] = useState(0)
  const [orderIdText, setOrderIdText] = useState(link?.gatewayOrderId ?? '')
  const [tranId, setTranId] = useState('')
  const [tranPass, setTranPass] = useState('')
  const [paymentIds, setPaymentIds] = useState('')
  const [amount, setAmount] = useState('')
  const [checked, setChecked] = useState<Checked | null>(null)
  const [busy, setBusy] = useState<'' | 'check' | 'attach'>('')
  const [error, setError] = useState<UIError | null>(null)

  useEffect(() => {
    api.profiles().then((ps) => {
      const fit = ps.filter((p) => !p.demo && p.methods.includes(order.paymentMethod.code))
      setProfiles(fit)
      setProfileId(fit.find((p) => p.id === link?.profileId)?.id ?? fit[0]?.id ?? 0)
    }).catch((e) => setError(toUIError(e)))
  }, [api, order.paymentMethod.code, link?.profileId])

  const profile = profiles?.find((p) => p.id === profileId)
  const kind = profile?.kind ?? ''
  const edit = <T,>(set: (v: T) => void) => (v: T) => {
    set(v)
    setChecked(null)
  }

  // ids are what the operator typed, as the gateway's ids.
  const ids = (): TxIds[] => {
    switch (kind) {
      case 'sbps':
        return tranId.trim() ? [{ gatewayOrderId: '', tranId: tranId.trim(), tranPass: '' }] : []
      case 'paygent': {
        const pids = paymentIds.split(/[\r\n,、\s]+/).map((x) => x.trim()).filter(Boolean)
        if (pids.length === 0) return orderIdText.trim() ? [{ gatewayOrderId: orderIdText.trim(), tranId: '', tranPass: '' }] : []
        return pids.map((pid) => ({ gatewayOrderId: orderIdText.trim(), tranId: pid, tranPass: '' }))
      }
      default: // GMO-PG, SGP
        return orderIdText.trim() ? [{ gatewayOrderId: orderIdText.trim(), tranId: tranId.trim(), tranPass: tranPass.trim() }] : []
    }
  }
  const amountOk = /^[0-9]+$/.test(amount.trim()) && Number(amount.trim()) > 0

  const check = async () => {
    const sent = ids()
    setBusy('check')
    setError(null)
    setChecked(null)
    try {
      const views = await api.linkCheck(order.id, profileId, sent)
      setChecked({ profileId, ids: sent, views })
    } catch (e) {
      setError(toUIError(e))
    } finally {
      setBusy('')
    }
  }
  const attach = async (i: number) => {
    if (!checked) return
    const v = checked.views[i]
    const sent = checked.ids[i] ?? checked.ids[0]
    // The ids of exactly the transaction checked: what the gateway reported, else what was sent.
    const txIds: TxIds = { gatewayOrderId: v.gatewayOrderId || sent.gatewayOrderId, tranId: v.tranId || sent.tranId, tranPass: sent.tranPass }
    setBusy('attach')
    setError(null)
    try {
      await api.linkAttach(order.id, checked.profileId, txIds, kind === 'sbps' ? Number(amount.trim()) : 0)
      onLinked(t.linkAttached)
    } catch (e) {
      setError(toUIError(e))
    } finally {
      setBusy('')
    }
  }

  const field = (label: string, testId: string, value: string, set: (v: string) => void, opts: { help?: string; type?: string } = {}) => (
    <label className="field">
      <span>{label}</span>
      <input data-testid={testId} value={value} type={opts.type ?? 'text'} autoComplete="off" className="mono"
        onChange={(e) => edit(set)(e.target.value)} />
      {opts.help && <small className="sub">{opts.help}</small>}
    </label>
  )
  const sent = ids()
  const canCheck = profileId !== 0 && sent.length > 0 && busy === ''

  return (
    <div className="link-panel" data-testid="link-panel">
      <h2>{t.linkPanelTitle}</h2>
      {link && (
        <p>
          <Badge label={link.status} kind="link" testId="link-state" /> {link.reason}
        </p>
      )}
      <p className="sub">{t.linkPanelLead}</p>
      {!profiles && <Spinner text={t.loading} />}
      {profiles && profiles.length === 0 && <p className="warn" data-testid="link-no-profile">{t.linkNoProfile(t.label(order.paymentMethod))}</p>}
      {profiles && profiles.length > 0 && (
        <>
          <label className="field narrow">
            <span>{t.gatewaysTitle}</span>
            <select data-testid="link-profile" value={profileId} onChange={(e) => edit(setProfileId)(Number(e.target.value))}>
              {profiles.map((p) => <option key={p.id} value={p.id}>{p.name}{t.inParens(p.kindLabel)}</option>)}
            </select>
          </label>
          <p className="sub">{t.linkConsoleHint(profile?.kindLabel ?? '')}</p>
          {(kind === 'gmo' || kind === 'sgp') && (
            <div className="form-grid">
              {field(t.gmoOrderId, 'link-order-id', orderIdText, setOrderIdText)}
              {field(t.gmoTranId, 'link-tran-id', tranId, setTranId, { help: t.optionalIfOrderId })}
              {field(t.gmoTranPass, 'link-tran-pass', tranPass, setTranPass, { help: t.optionalIfOrderId })}
            </div>
          )}
          {kind === 'sbps' && (
            <div className="form-grid">
              {field(t.sbpsTrackingId, 'link-tracking-id', tranId, setTranId)}
              <label className="field">
                <span>{t.sbpsAmount}</span>
                <span className="amount-row">
                  <input data-testid="link-amount" inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} />
                  <button type="button" data-testid="link-amount-total" onClick={() => setAmount(String(order.total))}>{t.sameAsTotal}</button>
                </span>
                <small className="sub">{t.sbpsAmountHelp}</small>
                {amount.trim() !== '' && !amountOk && <small className="warn" data-testid="link-amount-bad">{t.amountDigits}</small>}
              </label>
            </div>
          )}
          {kind === 'paygent' && (
            <div className="form-grid">
              <label className="field">
                <span>{t.paygentPaymentIds}</span>
                <textarea data-testid="link-payment-ids" rows={3} className="mono" value={paymentIds}
                  onChange={(e) => edit(setPaymentIds)(e.target.value)} />
                <small className="sub">{t.paygentPaymentIdsHelp}</small>
              </label>
              {field(t.paygentTradingId, 'link-trading-id', orderIdText, setOrderIdText, { help: t.optional })}
            </div>
          )}
          <div className="buttons">
            <button data-testid="link-check" disabled={!canCheck} onClick={check}>{t.linkCheck}</button>
          </div>
          {busy === 'check' && <Spinner text={t.linkChecking} />}
          {checked && (
            <div data-testid="link-checked">
              {checked.views.length === 0 && <p className="warn">{t.linkNothingFound}</p>}
              {checked.views.length > 1 && <p className="sub">{t.linkCompare}</p>}
              <div className="tx-compare">
                {checked.views.map((v, i) => (
                  <TxCard key={i} tx={v} orderTotal={order.total} testId="link-tx">
                    {!v.error && (
                      <button className="primary" data-testid="link-attach"
                        disabled={busy !== '' || (kind === 'sbps' && !amountOk)} onClick={() => attach(i)}>{t.linkAttach}</button>
                    )}
                  </TxCard>
                ))}
              </div>
              {kind === 'sbps' && !amountOk && <p className="warn" data-testid="link-amount-needed">{t.sbpsAmountNeeded}</p>}
              {kind === 'sbps' && amountOk && Number(amount) !== order.total && (
                <p className="warn">{t.amountDiffers(yen(order.total, t.lang))}</p>
              )}
            </div>
          )}
          {busy === 'attach' && <Spinner text={t.linkAttaching} />}
        </>
      )}
      <ErrorMessage error={error} />
    </div>
  )
}

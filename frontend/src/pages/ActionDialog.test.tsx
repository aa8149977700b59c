import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { ApiContext } from '../api'
import type { ActionInput, Api, OperationResult, UIError } from '../api'
import { LangContext } from '../i18n'
import type { Lang } from '../i18n'
import { L, fakeApi, order, payment } from '../test/fakeApi'
import { OrderDetail } from './OrderDetail'

// The payment's version in the action dialog: the preview is asked for the version the
// page shows, the confirm sends the version the preview was made for, and a refusal
// because the payment changed since (another desktop, the sync) reads the order again,
// says so, and previews the payment as it is now — nothing is sent without a new click.

const changed: UIError = {
  code: 'conflict', changed: true,
  message: 'この決済は、読み込んだ後に別のパソコンまたは別の操作で変更されています。画面を更新して今の状態を確認し、もう一度操作してください。何も送信していません',
  messageEn: 'the payment was changed by another desktop or operation since it was read; reload it, check its state and try again. Nothing was sent',
}

// A shop where another desktop lowers the amount to 5,000円 (version 2) once `change()` is called.
function shop(over: Partial<Api> = {}) {
  let now = payment({ amountAuthorized: 12800, version: 1 })
  const change = () => { now = payment({ amountAuthorized: 5000, version: 2 }) }
  const api = fakeApi({
    detail: vi.fn(async () => order({ payments: [now] })),
    preview: vi.fn(async (_id, input) => {
      if (input.version && input.version !== now.version) throw changed
      return {
        intent: input.intent, orderOnly: false, manualRefund: 0, reason: '', newStatus: L('paid', '入金済み'),
        steps: [{ kind: L('capture', '売上'), amount: now.amountAuthorized, reason: '' }], paymentVersion: now.version,
      }
    }),
    ...over,
  })
  return { api, change, current: () => now }
}

function renderDetail(api: Api, lang: Lang = 'ja') {
  const user = userEvent.setup()
  render(
    <LangContext.Provider value={lang}>
      <ApiContext.Provider value={api}>
        <OrderDetail orderId={1} onBack={() => {}} />
      </ApiContext.Provider>
    </LangContext.Provider>,
  )
  return user
}

describe('the payment changed since it was read', () => {
  it('a refused confirm reads the order again, says so in the dialog and sends only after a new preview and click', async () => {
    const s = shop()
    const sent = fakeApi().run // the sale, as the fake answers it
    const run = vi.fn(async (id: number, input: ActionInput, key: string): Promise<OperationResult> => {
      if (input.version !== s.current().version) throw changed
      return sent(id, input, key)
    })
    s.api.run = run
    const user = renderDetail(s.api)
    await user.click(await screen.findByTestId('action-capture'))
    const dialog = await screen.findByTestId('confirm-dialog')
    expect(await within(dialog).findByTestId('preview-step')).toHaveTextContent('12,800円')
    expect(s.api.preview).toHaveBeenLastCalledWith(11, expect.objectContaining({ version: 1 }))

    s.change() // another desktop's 金額変更, after the preview
    const loads = vi.mocked(s.api.detail).mock.calls.length
    await user.click(within(dialog).getByTestId('confirm-submit'))
    expect(run).toHaveBeenCalledTimes(1)
    expect(run.mock.calls[0][1]).toMatchObject({ intent: 'capture', version: 1 })

    // The dialog stays, in the input phase, says what happened; the page shows the order as it is now.
    expect(await within(dialog).findByTestId('dialog-stale')).toHaveTextContent('最新の状態を表示しました')
    expect(within(dialog).getByTestId('dialog-stale')).toHaveTextContent('何も送信していません')
    expect(dialog).toHaveAttribute('data-phase', 'input')
    expect(within(dialog).queryByTestId('error-message')).not.toBeInTheDocument()
    await waitFor(() => expect(vi.mocked(s.api.detail).mock.calls.length).toBe(loads + 1))
    await waitFor(() => expect(screen.getByTestId('amount-main')).toHaveTextContent('5,000円'))
    // The payment as it is now is previewed again, with its version.
    await waitFor(() => expect(within(dialog).getByTestId('preview-step')).toHaveTextContent('5,000円'))
    expect(s.api.preview).toHaveBeenLastCalledWith(11, expect.objectContaining({ version: 2 }))
    expect(run).toHaveBeenCalledTimes(1) // nothing sent without the operator's click

    await user.click(within(dialog).getByTestId('confirm-submit'))
    await waitFor(() => expect(run).toHaveBeenCalledTimes(2))
    expect(run.mock.calls[1][1]).toMatchObject({ intent: 'capture', version: 2 })
    expect(run.mock.calls[1][2]).not.toBe(run.mock.calls[0][2]) // a new request, a new key
    await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).not.toBeInTheDocument())
    expect(screen.getByTestId('notice')).toHaveTextContent('売上が完了しました')
  })

  it('a page read before the change: the first preview is refused, the order read again and previewed as it is now', async () => {
    const s = shop()
    const user = renderDetail(s.api)
    expect(await screen.findByTestId('amount-main')).toHaveTextContent('12,800円')
    s.change() // before the dialog opens (no live view on this PC's own database)
    await user.click(screen.getByTestId('action-capture'))
    const dialog = await screen.findByTestId('confirm-dialog')
    expect(await within(dialog).findByTestId('dialog-stale')).toBeInTheDocument()
    await waitFor(() => expect(within(dialog).getByTestId('preview-step')).toHaveTextContent('5,000円'))
    expect(screen.getByTestId('amount-main')).toHaveTextContent('5,000円')
    expect(within(dialog).getByTestId('confirm-submit')).toBeEnabled()
    await user.click(within(dialog).getByTestId('confirm-submit'))
    await waitFor(() => expect(s.api.run).toHaveBeenCalledTimes(1))
    expect(vi.mocked(s.api.run).mock.calls[0][1]).toMatchObject({ version: 2 })
  })

  it('an amount dialog keeps what was typed and asks for a new preview', async () => {
    const s = shop({ run: vi.fn(async () => { throw changed }) })
    const user = renderDetail(s.api)
    await user.click(await screen.findByTestId('action-change_amount'))
    const amount = await screen.findByTestId('action-amount')
    await user.clear(amount)
    await user.type(amount, '9800')
    await user.click(screen.getByTestId('action-check'))
    await screen.findByTestId('action-preview')
    s.change()
    await user.click(screen.getByTestId('confirm-submit'))
    expect(await screen.findByTestId('dialog-stale')).toBeInTheDocument()
    await waitFor(() => expect(screen.getByTestId('amount-main')).toHaveTextContent('5,000円'))
    expect(screen.getByTestId('action-amount')).toHaveValue('9800')
    expect(screen.queryByTestId('action-preview')).not.toBeInTheDocument()
    expect(screen.getByTestId('confirm-submit')).toBeDisabled()
    await user.click(screen.getByTestId('action-check'))
    await screen.findByTestId('action-preview')
    expect(s.api.preview).toHaveBeenLastCalledWith(11, expect.objectContaining({ amount: '9800', version: 2 }))
  })

  it('says so in English', async () => {
    const s = shop()
    const user = renderDetail(s.api, 'en')
    await screen.findByTestId('amount-main')
    s.change()
    await user.click(screen.getByTestId('action-capture'))
    expect(await screen.findByTestId('dialog-stale')).toHaveTextContent('Nothing was sent. The latest state is shown now')
  })

  it('sends the version the preview was made for', async () => {
    // A page read before versions were shown (0): the preview names the version it read.
    const api = fakeApi({
      detail: vi.fn(async () => order({ payments: [payment({ version: 0 })] })),
      preview: vi.fn(async (_id, input) => ({
        intent: input.intent, orderOnly: false, manualRefund: 0, reason: '', newStatus: L('paid', '入金済み'),
        steps: [{ kind: L('capture', '売上'), amount: 12800, reason: '' }], paymentVersion: 6,
      })),
    })
    const user = renderDetail(api)
    await user.click(await screen.findByTestId('action-capture'))
    await screen.findByTestId('action-preview')
    await user.click(screen.getByTestId('confirm-submit'))
    await waitFor(() => expect(api.run).toHaveBeenCalledTimes(1))
    expect(vi.mocked(api.run).mock.calls[0][1]).toMatchObject({ version: 6 })
  })

  it('after a refusal the journal recorded (a new version), 入力に戻る previews the payment as it is now', async () => {
    const s = shop()
    s.api.run = vi.fn(async () => {
      s.change() // the failed 売上 is recorded: the payment's version moves on
      throw { code: 'gateway', message: 'カード会社から売上を拒否されました', messageEn: 'declined' }
    })
    const user = renderDetail(s.api)
    await user.click(await screen.findByTestId('action-capture'))
    await screen.findByTestId('action-preview')
    await user.click(screen.getByTestId('confirm-submit'))
    expect(await screen.findByTestId('error-message')).toHaveTextContent('拒否') // the refusal stays shown
    await waitFor(() => expect(screen.getByTestId('amount-main')).toHaveTextContent('5,000円'))
    expect(screen.getByTestId('error-message')).toHaveTextContent('拒否')
    const previews = vi.mocked(s.api.preview).mock.calls.length
    await user.click(screen.getByTestId('confirm-again'))
    await waitFor(() => expect(screen.getByTestId('preview-step')).toHaveTextContent('5,000円'))
    expect(vi.mocked(s.api.preview).mock.calls.length).toBe(previews + 1)
    expect(s.api.preview).toHaveBeenLastCalledWith(11, expect.objectContaining({ version: 2 }))
    expect(screen.queryByTestId('dialog-stale')).not.toBeInTheDocument()
  })

  it('another conflict is a refusal as before: shown, with 入力に戻る', async () => {
    const s = shop({ run: vi.fn(async () => { throw { code: 'conflict', message: 'この決済は既に実売上です', messageEn: 'already captured' } }) })
    const user = renderDetail(s.api)
    await user.click(await screen.findByTestId('action-capture'))
    await screen.findByTestId('action-preview')
    await user.click(screen.getByTestId('confirm-submit'))
    expect(await screen.findByTestId('error-message')).toHaveTextContent('既に実売上')
    expect(screen.queryByTestId('dialog-stale')).not.toBeInTheDocument()
    expect(screen.getByTestId('confirm-again')).toBeInTheDocument()
  })
})

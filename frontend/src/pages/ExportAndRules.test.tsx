import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import App from '../App'
import { ApiContext } from '../api'
import type { Api, ExportResult } from '../api'
import { fakeApi, profile } from '../test/fakeApi'

// openSearchForm folds out 受注管理's full form (the window remembers it open or closed).
async function openSearchForm(user: ReturnType<typeof userEvent.setup>) {
  if (!screen.queryByTestId('search-advanced-form')) await user.click(screen.getByTestId('search-advanced'))
}

function renderApp(api: Api) {
  window.location.hash = '#orders' // these tests start on 受注管理 (the window opens on ホーム)
  return render(<ApiContext.Provider value={api}><App /></ApiContext.Provider>)
}

describe('CSV出力', () => {
  it('exports the current search in the encoding chosen and says where it went', async () => {
    const api = fakeApi()
    const user = userEvent.setup()
    renderApp(api)
    await screen.findByTestId('result-row')
    await openSearchForm(user) // the full form folds out under the quick search
    await user.type(screen.getByTestId('search-name'), '山田')
    await user.click(screen.getByTestId('search-payment-state-authorized'))
    await user.click(screen.getByTestId('search-submit'))
    await waitFor(() => expect(api.search).toHaveBeenCalledTimes(2))
    // What is typed but not searched is not exported: the results shown are.
    await user.type(screen.getByTestId('search-tel'), '090')

    await user.click(screen.getByTestId('export-open'))
    const dialog = await screen.findByTestId('export-dialog')
    expect(dialog).toHaveTextContent('受注1件')
    expect(within(dialog).getByTestId('export-enc-cp932')).toBeChecked()
    await user.click(within(dialog).getByTestId('export-enc-utf-8'))
    await user.click(within(dialog).getByTestId('export-submit'))
    expect(api.exportOrders).toHaveBeenCalledTimes(1)
    const [q, enc, path] = vi.mocked(api.exportOrders).mock.calls[0]
    // The same conditions as the search shown (the list pages by itself).
    const paging = { page: 0, pageSize: 0, after: undefined }
    expect({ ...q, ...paging }).toEqual({ ...vi.mocked(api.search).mock.calls[1][0], ...paging })
    expect(q).toMatchObject({ name: '山田', paymentStates: ['authorized'], tel: '' })
    expect(enc).toBe('utf-8')
    expect(path).toBe('') // the save dialog asks
    expect(await within(dialog).findByTestId('export-result')).toHaveTextContent('1件を書き出しました: /home/shop/受注.csv')
  })

  it('writes to a typed path, shows progress, and 中止 leaves no file', async () => {
    const handlers: Record<string, (d: unknown) => void> = {}
    let finish: (r: ExportResult) => void = () => {}
    const api = fakeApi({
      onEvent: vi.fn((name: string, cb: (d: unknown) => void) => {
        handlers[name] = cb
        return () => {}
      }),
      search: vi.fn(async (q) => ({ rows: [], total: 25000, totalAtLeast: false, page: q.page, pageSize: q.pageSize, next: '' })),
      exportOrders: vi.fn(() => new Promise<ExportResult>((resolve) => { finish = resolve })),
    })
    const user = userEvent.setup()
    renderApp(api)
    await waitFor(() => expect(screen.getByTestId('export-open')).toBeEnabled())
    await user.click(screen.getByTestId('export-open'))
    const dialog = await screen.findByTestId('export-dialog')
    await user.type(within(dialog).getByTestId('export-path'), '/tmp/受注.csv')
    await user.click(within(dialog).getByTestId('export-submit'))
    expect(vi.mocked(api.exportOrders).mock.calls[0].slice(1)).toEqual(['cp932', '/tmp/受注.csv'])
    act(() => handlers['export:progress']({ rows: 12000, total: 25000 }))
    const bar = await within(dialog).findByTestId('export-progress')
    expect(bar).toHaveTextContent('12,000 / 25,000 件')
    expect(within(dialog).getByTestId('export-submit')).toBeDisabled()
    await user.click(within(bar).getByTestId('export-progress-stop'))
    expect(api.exportCancel).toHaveBeenCalledTimes(1)
    await act(async () => finish({ path: '', count: 0 }))
    expect(await within(dialog).findByTestId('export-notice')).toHaveTextContent('中止しました。ファイルは作っていません')
    expect(within(dialog).queryByTestId('export-result')).not.toBeInTheDocument()
  })

  it('cannot export an empty result', async () => {
    const api = fakeApi({ search: vi.fn(async (q) => ({ rows: [], total: 0, totalAtLeast: false, page: q.page, pageSize: q.pageSize, next: '' })) })
    renderApp(api)
    await screen.findByTestId('no-results')
    expect(screen.getByTestId('export-open')).toBeDisabled()
  })
})

describe('ゲートウェイ設定: 注文番号とゲートウェイIDの対応', () => {
  async function openForm(api: Api) {
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-settings'))
    await user.click(await screen.findByTestId('profile-add'))
    await user.type(screen.getByTestId('profile-name'), 'GMO-PG 本番')
    return user
  }

  it('MakeShop: re-payment suffixes, shown with an example', async () => {
    const api = fakeApi()
    const user = await openForm(api)
    expect(screen.getByTestId('link-rule-example')).toHaveTextContent('注文番号 100123 → 100123')
    await user.selectOptions(screen.getByTestId('link-rule-preset'), 'makeshop')
    expect(screen.getByTestId('link-rule-example')).toHaveTextContent('100123-1 〜 100123-9')
    await user.click(screen.getByTestId('profile-save'))
    await waitFor(() => expect(api.saveProfile).toHaveBeenCalledTimes(1))
    expect(vi.mocked(api.saveProfile).mock.calls[0][0].linkRule).toEqual({ prefix: '', suffix: '', retrySuffixes: true, timestamped: false })
  })

  it('a prefix: 注文番号 100123 → wc_100123', async () => {
    const api = fakeApi()
    const user = await openForm(api)
    await user.selectOptions(screen.getByTestId('link-rule-preset'), 'affix')
    await user.type(screen.getByTestId('link-rule-prefix'), 'wc_')
    expect(screen.getByTestId('link-rule-example')).toHaveTextContent('注文番号 100123 → wc_100123')
    await user.click(screen.getByTestId('profile-save'))
    await waitFor(() => expect(api.saveProfile).toHaveBeenCalledTimes(1))
    expect(vi.mocked(api.saveProfile).mock.calls[0][0].linkRule).toEqual({ prefix: 'wc_', suffix: '', retrySuffixes: false, timestamped: false })
  })

  it("EC-CUBE's GMO plugin: timestamped, linked from the console CSV; the plain order number is the default", async () => {
    const api = fakeApi()
    const user = await openForm(api)
    await user.selectOptions(screen.getByTestId('link-rule-preset'), 'eccube_gmo')
    expect(screen.getByTestId('link-rule-example')).toHaveTextContent('取引CSV')
    await user.click(screen.getByTestId('profile-save'))
    await waitFor(() => expect(api.saveProfile).toHaveBeenCalledTimes(1))
    expect(vi.mocked(api.saveProfile).mock.calls[0][0].linkRule).toEqual({ prefix: '', suffix: '', retrySuffixes: false, timestamped: true })

    await user.click(await screen.findByTestId('profile-add'))
    expect(screen.getByTestId('link-rule-preset')).toHaveValue('plain')
  })

  it('shows the saved rule in words and opens a saved prefix rule on its preset', async () => {
    const api = fakeApi({
      profiles: vi.fn(async () => [profile({ linkRule: { prefix: 'wc_', suffix: '', retrySuffixes: false, timestamped: false }, linkRuleText: 'wc_{注文番号}（例: wc_100123）' })]),
    })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-settings'))
    expect(await screen.findByTestId('profile-link-rule')).toHaveTextContent('wc_{注文番号}（例: wc_100123）')
    await user.click(screen.getByRole('button', { name: '編集' }))
    expect(screen.getByTestId('link-rule-preset')).toHaveValue('affix')
    expect(screen.getByTestId('link-rule-prefix')).toHaveValue('wc_')
  })

  it("renders Paygent's optional CA certificate from the kinds, as optional", async () => {
    const api = fakeApi({
      gatewayKinds: vi.fn(async () => [{
        code: 'paygent', ja: 'ペイジェント', merchantLabel: 'マーチャントID', subLabel: '接続ID', defaultExpiryDays: 90,
        testHost: 'https://sandbox.paygent.co.jp', productionHost: 'https://module.paygent.co.jp', supported: true,
        secrets: [
          { name: 'connect_password', label: '接続パスワード', required: true, set: false },
          { name: 'client_cert', label: 'クライアント証明書（PEM）', required: true, set: false },
          { name: 'ca_cert', label: 'サーバーのCA証明書（PEM）', required: false, set: false },
        ],
      }]),
    })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-settings'))
    await user.click(await screen.findByTestId('profile-add'))
    const ca = screen.getByTestId('profile-secret-ca_cert')
    expect(ca.tagName).toBe('TEXTAREA')
    expect(ca.closest('label')).toHaveTextContent('サーバーのCA証明書（PEM）（任意）')
    expect(screen.getByTestId('profile-secret-client_cert').closest('label')).not.toHaveTextContent('任意')
  })
})

import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import App from '../App'
import { ApiContext } from '../api'
import type { Api } from '../api'
import { fakeApi, overview } from '../test/fakeApi'
import { attention } from './Home'

function renderApp(api: Api) {
  window.location.hash = '#home'
  return render(<ApiContext.Provider value={api}><App /></ApiContext.Provider>)
}

describe('ホーム', () => {
  it('opens on ホーム with 売上待ち by days left, 売上失敗 with reasons, and a badge of the urgent work', async () => {
    window.location.hash = ''
    const api = fakeApi()
    render(<ApiContext.Provider value={api}><App /></ApiContext.Provider>)
    const capture = await screen.findByTestId('home-to-capture')
    expect(capture).toHaveTextContent('10件')
    expect(capture).toHaveTextContent('100,600円')
    const buckets = within(capture).getAllByTestId('home-bucket')
    expect(buckets.map((b) => b.textContent)).toEqual([
      '期限切れ0件0円', '今日〜3日2件25,600円', '4〜7日1件5,000円', '8〜14日0件0円', '15〜30日3件30,000円', '31日以上4件40,000円',
    ])
    expect(screen.getByTestId('home-capture-failed')).toHaveTextContent('カード会社が売上を受け付けませんでした')
    expect(screen.getByTestId('home-overdue-deposit')).toHaveAttribute('data-count', '1')
    expect(screen.getByTestId('home-cancel-stock')).toHaveTextContent('2行')
    // 2 + 1 to capture within a week, 2 failed, 1 要確認, 1 overdue.
    expect(screen.getByTestId('nav-work-badge')).toHaveTextContent('7')
    expect(screen.getAllByTestId('demo-mode')).toHaveLength(1)
  })

  it('says why a gateway is not synced instead of the time of an older success', async () => {
    const api = fakeApi({
      overview: vi.fn(async () => overview({
        sync: [
          { profileId: 1, name: 'GMO-PG 本番', demo: false, state: 'error', lastSuccess: '2026-11-24T08:00:00+09:00', since: '2026-11-24T09:05:00+09:00', reason: 'ショップパスワードが違います' },
          { profileId: 2, name: 'SBPS', demo: false, state: 'offline', lastSuccess: '', since: '2026-11-24T09:00:00+09:00', reason: '接続できません' },
          { profileId: 3, name: 'ペイジェント', demo: false, state: 'ok', lastSuccess: '2026-11-24T09:10:00+09:00', since: '', reason: '' },
        ],
      })),
    })
    renderApp(api)
    const [gmo, sbps, paygent] = await screen.findAllByTestId('home-health')
    expect(gmo).toHaveAttribute('data-state', 'error')
    expect(gmo).toHaveTextContent('エラー')
    expect(gmo).toHaveTextContent('2026/11/24 09:05 の同期に失敗しました')
    expect(gmo).toHaveTextContent('ショップパスワードが違います')
    expect(gmo).not.toHaveTextContent('最終同期')
    expect(sbps).toHaveTextContent('2026/11/24 09:00 から接続できません')
    expect(sbps).toHaveTextContent('接続できません')
    expect(paygent).toHaveTextContent('最終同期 2026/11/24 09:10')
  })

  it('opens the list behind a figure', async () => {
    const api = fakeApi()
    const user = userEvent.setup()
    renderApp(api)
    await user.click(within(await screen.findByTestId('home-capture-failed')).getByRole('button', { name: /売上失敗/ }))
    expect(await screen.findByTestId('work-tab-capture_failed')).toHaveAttribute('aria-selected', 'true')
    await user.click(screen.getByTestId('nav-home'))
    await user.click(await screen.findByTestId('home-awaiting-deposit'))
    await screen.findByTestId('orders-page')
    expect(vi.mocked(api.search).mock.calls.at(-1)![0]).toMatchObject({ paymentStates: ['awaiting_deposit'] })
  })

  it('shows the getting-started steps to a new own shop with no orders', async () => {
    const api = fakeApi({
      info: vi.fn(async () => ({ version: 'test', dataDir: '/tmp/kd', database: '', demo: false, language: 'ja', operator: '', setupNeeded: false })),
      overview: vi.fn(async () => overview({ orders: 0, demo: false, sync: [] })),
    })
    renderApp(api)
    expect(await screen.findByTestId('getting-started')).toBeInTheDocument()
    expect(screen.queryByTestId('home-to-capture')).not.toBeInTheDocument()
  })

  it('counts for the badge only the work that should not wait', () => {
    expect(attention(null)).toBe(0)
    expect(attention(overview())).toBe(7)
    expect(attention(overview({ awaitingDeposit: 50, cancelStock: 9 }))).toBe(7)
    expect(attention(overview({ stopShipping: 1, drifts: 2, unlinked: 3, stale: 4, unresolved: 5 }))).toBe(22)
  })
})

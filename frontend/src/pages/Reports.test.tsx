import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import App from '../App'
import { ApiContext } from '../api'
import type { Api, SalesView } from '../api'
import { LangContext } from '../i18n'
import { fakeApi } from '../test/fakeApi'
import { GatewaySettings } from './GatewaySettings'
import { presetRange, Reports } from './Reports'

// ECharts draws on a canvas jsdom does not have: the chart is checked in the browser (e2e).
vi.mock('./SalesChart', () => ({ SalesChart: () => <div data-testid="sales-chart" /> }))

const L = (code: string, ja: string) => ({ code, ja, en: code })
const sales: SalesView = {
  periods: [{ label: '2026/11/01', start: '' }, { label: '2026/11/02', start: '' }],
  lines: [
    { period: 0, profileId: 1, profileName: 'GMO-PG', method: L('card', 'クレジットカード決済'), count: 2, gross: 20000, refunded: 5000, net: 15000 },
    { period: 1, profileId: 2, profileName: 'ペイジェント', method: L('konbini', 'コンビニ決済'), count: 1, gross: 3980, refunded: 0, net: 3980 },
  ],
  perPeriod: [{ count: 2, gross: 20000, refunded: 5000, net: 15000 }, { count: 1, gross: 3980, refunded: 0, net: 3980 }],
  total: { count: 3, gross: 23980, refunded: 5000, net: 18980 },
}

function renderWith(api: Api, ui: React.ReactNode) {
  return render(<ApiContext.Provider value={api}><LangContext.Provider value="ja">{ui}</LangContext.Provider></ApiContext.Provider>)
}

describe('売上集計', () => {
  it('opens from the menu, its code loaded when first opened (React.lazy)', async () => {
    const api = fakeApi()
    vi.mocked(api.reportSales).mockResolvedValue(sales)
    const user = userEvent.setup()
    render(<ApiContext.Provider value={api}><App /></ApiContext.Provider>)
    await user.click(await screen.findByTestId('nav-reports'))
    expect(await screen.findByTestId('sales-table', {}, { timeout: 10000 })).toBeInTheDocument()
    expect(screen.getByTestId('sales-chart')).toBeInTheDocument()
  })

  it('shows the month by day with its table and total, and asks again by week', async () => {
    const api = fakeApi()
    vi.mocked(api.reportSales).mockResolvedValue(sales)
    const user = userEvent.setup()
    renderWith(api, <Reports />)
    const table = await screen.findByTestId('sales-table')
    expect(within(table).getAllByTestId('sales-row')).toHaveLength(2)
    expect(screen.getByTestId('sales-total')).toHaveTextContent('18,980円')
    expect(screen.getByTestId('sales-net')).toHaveTextContent('18,980円')
    expect(screen.getByTestId('sales-chart')).toBeInTheDocument()
    const [from, to] = presetRange('last30')
    expect(api.reportSales).toHaveBeenLastCalledWith({ from, to, granularity: 'day', basis: 'sale', profileIds: [], methods: [] })
    await user.click(screen.getByTestId('report-by-week'))
    await waitFor(() => expect(api.reportSales).toHaveBeenLastCalledWith(expect.objectContaining({ granularity: 'week' })))
    await user.click(screen.getByTestId('report-csv-sales'))
    expect(api.exportReport).toHaveBeenCalledWith('sales', expect.objectContaining({ granularity: 'week' }), to.slice(0, 7), 'cp932', '')
    expect(await screen.findByTestId('notice')).toHaveTextContent('/tmp/report.csv')
  })

  it('presets cover whole months', () => {
    const today = new Date(2026, 1, 14) // 14 February 2026
    expect(presetRange('thisMonth', today)).toEqual(['2026-02-01', '2026-02-28'])
    expect(presetRange('lastMonth', today)).toEqual(['2026-01-01', '2026-01-31'])
    expect(presetRange('last12', today)).toEqual(['2025-03-01', '2026-02-28'])
  })
})

describe('ゲートウェイ設定', () => {
  it('tests the profile as typed before saving it, and saves nothing when the test fails', async () => {
    const api = fakeApi()
    vi.mocked(api.testProfileDraft).mockResolvedValueOnce({ ok: false, message: '認証に失敗しました' })
    const user = userEvent.setup()
    renderWith(api, <GatewaySettings />)
    await user.click(await screen.findByTestId('profile-add'))
    await user.type(screen.getByTestId('profile-name'), 'GMO-PG 本番')
    await user.type(screen.getByTestId('profile-merchant'), 'tshop0001')
    await user.click(screen.getByTestId('profile-save'))
    expect(await screen.findByTestId('profile-draft-result')).toHaveTextContent('認証に失敗しました')
    expect(api.testProfileDraft).toHaveBeenCalledWith(expect.objectContaining({ name: 'GMO-PG 本番', merchantId: 'tshop0001' }))
    expect(api.saveProfile).not.toHaveBeenCalled()
    // Corrected: tested again, then saved.
    await user.type(screen.getByTestId('profile-secret-shop_pass'), 'pw12345678')
    await user.click(screen.getByTestId('profile-save'))
    await waitFor(() => expect(api.saveProfile).toHaveBeenCalledTimes(1))
    expect(api.testProfileDraft).toHaveBeenCalledTimes(2)
  })
})

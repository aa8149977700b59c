import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import App from '../App'
import { ApiContext } from '../api'
import type { Api, Info } from '../api'
import { fakeApi, profile } from '../test/fakeApi'

function renderApp(api: Api) {
  window.location.hash = '#orders' // these tests start on 受注管理 (the window opens on ホーム)
  return render(<ApiContext.Provider value={api}><App /></ApiContext.Provider>)
}

const newFolder: Info = { version: 'test', dataDir: '/tmp/kd', database: '', demo: false, language: 'ja', operator: '', setupNeeded: true }

describe('最初の起動', () => {
  it('asks demo or own shop before anything else, and starts the own shop with the checklist', async () => {
    const api = fakeApi({ search: vi.fn(async () => ({ rows: [], total: 0, totalAtLeast: false, page: 1, pageSize: 50, next: '' })) })
    vi.mocked(api.info).mockResolvedValueOnce(newFolder).mockResolvedValue({ ...newFolder, setupNeeded: false })
    const user = userEvent.setup()
    renderApp(api)
    const welcome = await screen.findByTestId('welcome')
    expect(welcome).toHaveTextContent('デモショップで試す')
    expect(welcome).toHaveTextContent('自分のショップで始める')
    expect(screen.queryByTestId('nav-orders')).not.toBeInTheDocument()
    expect(api.search).not.toHaveBeenCalled()

    await user.click(within(welcome).getByTestId('welcome-own'))
    expect(api.startOwnShop).toHaveBeenCalledTimes(1)
    expect(api.startDemo).not.toHaveBeenCalled()
    // Info is read again: the order list of an empty own shop shows the three steps.
    const steps = await screen.findByTestId('getting-started')
    expect(api.info).toHaveBeenCalledTimes(2)
    expect(steps).toHaveTextContent('ゲートウェイ設定')
    expect(steps).toHaveTextContent('受注取込')
    expect(steps).toHaveTextContent('連携')
    expect(screen.queryByTestId('demo-mode')).not.toBeInTheDocument()
    expect(screen.getByTestId('gs-gateway')).toHaveAttribute('data-done', 'false')

    await user.click(within(screen.getByTestId('gs-import')).getByRole('button'))
    expect(await screen.findByTestId('import-page')).toBeInTheDocument()
  })

  it('ticks ① once the shop has its own gateway profile', async () => {
    const api = fakeApi({
      info: vi.fn(async () => ({ ...newFolder, setupNeeded: false })),
      search: vi.fn(async () => ({ rows: [], total: 0, totalAtLeast: false, page: 1, pageSize: 50, next: '' })),
      profiles: vi.fn(async () => [profile()]),
    })
    renderApp(api)
    await screen.findByTestId('getting-started')
    await waitFor(() => expect(screen.getByTestId('gs-gateway')).toHaveAttribute('data-done', 'true'))
  })

  it('starts the demo shop on the demo choice', async () => {
    const api = fakeApi()
    vi.mocked(api.info).mockResolvedValueOnce(newFolder)
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('welcome-demo'))
    expect(api.startDemo).toHaveBeenCalledTimes(1)
    expect(api.startOwnShop).not.toHaveBeenCalled()
    expect(await screen.findByTestId('demo-mode')).toBeInTheDocument()
    expect(await screen.findByTestId('result-row')).toBeInTheDocument()
  })

  it('explains a refusal and lets the operator choose again', async () => {
    const api = fakeApi({
      startDemo: vi.fn(async () => {
        throw { code: 'conflict', message: 'このデータフォルダには既にデータがあるため、デモショップは作れません', messageEn: '' }
      }),
    })
    vi.mocked(api.info).mockResolvedValue(newFolder)
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('welcome-demo'))
    expect(await screen.findByTestId('error-message')).toHaveTextContent('デモショップは作れません')
    expect(screen.getByTestId('welcome-own')).toBeEnabled()
  })
})

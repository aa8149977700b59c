import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { ApiContext } from '../api'
import { fakeApi } from '../test/fakeApi'
import { SupportSection } from './SupportSection'

describe('SupportSection', () => {
  it('sets the log level, opens the log folder, exports the bundle and shows About with the licences', async () => {
    const api = fakeApi()
    render(<ApiContext.Provider value={api}><SupportSection /></ApiContext.Provider>)
    const level = await screen.findByTestId('support-log-level')
    await userEvent.selectOptions(level, 'debug')
    expect(api.setLogLevel).toHaveBeenCalledWith('debug')
    await userEvent.click(screen.getByTestId('support-open-logs'))
    expect(api.openLogFolder).toHaveBeenCalled()
    await userEvent.click(screen.getByTestId('support-export'))
    await waitFor(() => expect(screen.getByTestId('support-notice').textContent).toContain('/tmp/kessaidesk-support.zip'))
    await userEvent.click(screen.getByTestId('about-open'))
    const dialog = await screen.findByTestId('about-dialog')
    expect(screen.getByTestId('about-version').textContent).toBe('v1.2.3')
    expect(dialog.textContent).toContain('github.com/mattn/go-sqlite3')
    expect(dialog.textContent).toContain('react')
    expect(screen.getAllByTestId('license')).toHaveLength(2)
  })

  it('says why when the bundle cannot be written', async () => {
    const api = fakeApi({ exportSupportBundle: vi.fn(async () => { throw { code: 'internal', message: '保存先に書き込めません', messageEn: 'cannot write there' } }) })
    render(<ApiContext.Provider value={api}><SupportSection /></ApiContext.Provider>)
    await userEvent.click(await screen.findByTestId('support-export'))
    expect(await screen.findByText(/保存先に書き込めません/)).toBeTruthy()
  })
})

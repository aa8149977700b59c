import { act, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { ApiContext } from '../api'
import type { LinkProgress } from '../api'
import { LangContext } from '../i18n'
import type { Lang } from '../i18n'
import { fakeApi } from '../test/fakeApi'
import { LinkRunner } from './LinkRunner'

// A link run that stopped on an error says why in the window's language (a run of an
// older version without English: its Japanese).
function setup(lang: Lang) {
  const handlers: Record<string, (d: unknown) => void> = {}
  const api = fakeApi({
    onEvent: vi.fn((name: string, cb: (d: unknown) => void) => {
      handlers[name] = cb
      return () => {}
    }),
  })
  render(
    <LangContext.Provider value={lang}>
      <ApiContext.Provider value={api}><LinkRunner /></ApiContext.Provider>
    </LangContext.Provider>,
  )
  return { emit: (d: LinkProgress) => act(() => handlers['link:progress']?.(d)) }
}

const stopped: LinkProgress = {
  running: false, done: 1, total: 3, linked: 1, notFound: 0, ambiguous: 0, failed: 0, noProfile: 0, message: '',
  error: '連携を続けられませんでした: ディスクがいっぱいです', errorEn: 'The link run could not go on: the disk is full',
}

describe('LinkRunner', () => {
  it('shows why the run stopped in English in an English window', async () => {
    const { emit } = setup('en')
    await userEvent.click(await screen.findByTestId('link-start'))
    emit(stopped)
    expect(await screen.findByTestId('link-error')).toHaveTextContent('The link run could not go on: the disk is full')
  })

  it('shows the Japanese in a Japanese window', async () => {
    const { emit } = setup('ja')
    await userEvent.click(await screen.findByTestId('link-start'))
    emit(stopped)
    expect(await screen.findByTestId('link-error')).toHaveTextContent('連携を続けられませんでした: ディスクがいっぱいです')
  })

  it('falls back to the Japanese when the run sent no English', async () => {
    const { emit } = setup('en')
    await userEvent.click(await screen.findByTestId('link-start'))
    emit({ ...stopped, errorEn: undefined })
    expect(await screen.findByTestId('link-error')).toHaveTextContent('連携を続けられませんでした')
  })
})

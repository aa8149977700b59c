import { render, screen } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { ApiContext } from '../api'
import type { Info, SyncRun } from '../api'
import { LangContext } from '../i18n'
import type { Lang } from '../i18n'
import { fakeApi } from '../test/fakeApi'
import { Settings } from './Settings'

// 設定 › 同期's last runs: the result in the window's language. The errors come from Go
// already in it (a run recorded before English was kept: its Japanese).
const info: Info = { version: 'test', dataDir: '/tmp/kd', database: '', demo: false, language: 'en', operator: '', setupNeeded: false }

const run: SyncRun = {
  startedAt: '2026-11-24T10:00:00+09:00', finishedAt: '2026-11-24T10:00:05+09:00', full: false, checked: 12, deposits: 1, expired: 0,
  updated: 0, drifts: 0, resolved: 0, holds: 0, offline: ['本番', 'テスト'], errors: ['SBPS: wrong merchant ID'],
}

function renderRuns(lang: Lang) {
  const api = fakeApi({ syncRuns: vi.fn(async () => [run]) })
  render(
    <LangContext.Provider value={lang}>
      <ApiContext.Provider value={api}><Settings info={{ ...info, language: lang }} onChanged={() => {}} section="sync" /></ApiContext.Provider>
    </LangContext.Provider>,
  )
}

describe('設定 › 同期: the last runs', () => {
  it('reads in English in an English window, the profiles named as they are', async () => {
    renderRuns('en')
    const row = await screen.findByTestId('sync-run')
    expect(row.textContent).toContain('cannot connect: 本番, テスト · SBPS: wrong merchant ID')
    expect(row.textContent).not.toMatch(/[、・]/)
  })

  it('reads in Japanese in a Japanese window', async () => {
    renderRuns('ja')
    const row = await screen.findByTestId('sync-run')
    expect(row.textContent).toContain('本番、テスト')
    expect(row.textContent).toContain(' ・ SBPS: wrong merchant ID')
  })
})

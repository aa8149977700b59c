// Offline mode (issue 18): the team's shared database cannot be reached, so the window
// shows its last copy read-only and sends nothing. App provides why (in the operator's
// language) through OfflineContext; every button that would send something — 売上,
// キャンセル, 金額変更, 一括…, 取込 — reads useOffline() and stays disabled with why as its
// title. The Go side refuses them too; this only says so before the click.
import { createContext, useContext, useState } from 'react'
import type { Info } from './api'
import { useApi } from './api'
import { useT } from './i18n'
import type { Lang } from './i18n'

// OfflineContext holds the button title for offline mode ('' when the database is reachable).
export const OfflineContext = createContext('')

// useOffline is '' online, else the title a disabled sending button shows.
export function useOffline(): string {
  return useContext(OfflineContext)
}

// offlineReason is why the server is not used, in the window's language ('' online).
export function offlineReason(info: Info | null, lang: Lang): string {
  if (info?.databaseMode !== 'offline') return ''
  return (lang === 'en' ? info.offlineEn || info.offline : info.offline) || ''
}

// OfflineBanner stays at the top of every screen while offline, with 再接続 (a restart:
// the connection is tried again at the start).
export function OfflineBanner({ info }: { info: Info }) {
  const api = useApi()
  const t = useT()
  const [restarting, setRestarting] = useState(false)
  if (info.databaseMode !== 'offline') return null
  const why = offlineReason(info, t.lang)
  return (
    <div className="offline-banner" role="alert" data-testid="offline-banner">
      <div>
        <strong>{t.sdb.offlineBanner}</strong>
        {why && <div className="small" data-testid="offline-reason">{t.sdb.why(why)}</div>}
      </div>
      <button className="primary" data-testid="offline-reconnect" disabled={restarting} onClick={() => {
        setRestarting(true)
        api.restart().catch(() => setRestarting(false))
      }}>{restarting ? t.set.restarting : t.sdb.reconnect}</button>
    </div>
  )
}

// sharedWhere shortens user@host:port/database to host/database for the chip.
export function sharedWhere(label: string): string {
  const m = /^(?:[^@]*@)?(\[[^\]]+\]|[^:/]+)(?::\d+)?\/(.*)$/.exec(label)
  return m ? `${m[1]}/${m[2]}` : label
}

// SharedChip says, in the side bar, that the orders are on the team's server.
export function SharedChip({ info }: { info: Info }) {
  const t = useT()
  if (info.databaseMode !== 'shared') return null
  return <div className="shared-chip" data-testid="shared-chip" title={info.database}>{t.sdb.chip(sharedWhere(info.database))}</div>
}

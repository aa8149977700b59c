// The live view (issue 18): desktops sharing one PostgreSQL database hear of each
// other's changes. Go emits "data:changed" {tables: [...]} — the tables another desktop
// changed, a burst already folded into one event (backend/system/live.go) — and each
// screen reads again, quietly, what it shows. The folder's own SQLite sends none.
import { useEffect, useRef } from 'react'
import { useApi } from './api'

export const EVENT_DATA_CHANGED = 'data:changed'

export interface DataChanged { tables: string[] }

// The tables each screen reads (backend/sqlite/migrations/0020_live_view.pgsql
// notifies for these).
export const tablesOf = {
  // ホーム's counts and the navigation's badges (backend Overview), and 作業リスト.
  overview: ['orders', 'payments', 'operations', 'refund_tasks', 'cancel_stock', 'drifts', 'shipping_holds', 'payment_reviews',
    'order_links', 'sync_status', 'gateway_profiles', 'bulk_items'],
  orders: ['orders', 'order_items', 'payments', 'operations', 'order_links'],
  order: ['orders', 'order_items', 'order_events', 'order_links', 'payments', 'operations', 'payment_reviews'],
} as const

// The wait between the first change heard and the reading: changes that follow within
// it are read at once (Go folds a burst already; this covers a second burst right after).
export const LIVE_DELAY_MS = 400

// dialogOpen tells whether a dialog is open in the window (Radix gives its content the
// role): a screen under a dialog waits, so nothing changes under the operator's finger.
export function dialogOpen(): boolean {
  return !!document.querySelector('[role=dialog],[role=alertdialog]')
}

// useDataChanged calls onChange(tables) when another desktop changed one of the tables
// (all of them when tables is omitted): once per burst, LIVE_DELAY_MS after its first
// event. With waitForDialogs, while a dialog is open it waits until the dialog closes.
export function useDataChanged(onChange: (tables: string[]) => void, opts: { tables?: readonly string[]; waitForDialogs?: boolean } = {}) {
  const api = useApi()
  const cb = useRef(onChange)
  cb.current = onChange
  const { tables, waitForDialogs = false } = opts
  const key = tables?.join(',') ?? ''
  useEffect(() => {
    const watched = key ? new Set(key.split(',')) : null
    let pending = new Set<string>()
    let timer: ReturnType<typeof setTimeout> | undefined
    const fire = () => {
      timer = undefined
      if (waitForDialogs && dialogOpen()) {
        timer = setTimeout(fire, LIVE_DELAY_MS)
        return
      }
      const changed = [...pending]
      pending = new Set()
      cb.current(changed)
    }
    const off = api.onEvent(EVENT_DATA_CHANGED, (d) => {
      const changed = ((d as DataChanged | null)?.tables ?? []).filter((t) => !watched || watched.has(t))
      if (changed.length === 0) return
      changed.forEach((t) => pending.add(t))
      if (!timer) timer = setTimeout(fire, LIVE_DELAY_MS)
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }, [api, key, waitForDialogs])
}

import { Suspense, lazy, useCallback, useEffect, useRef, useState } from 'react'
import { emptySearch, toUIError, useApi } from './api'
import type { Info, OrderSearch, Overview, UIError } from './api'
import { ErrorMessage, Spinner } from './components/common'
import { LangContext, dictionaries, setLanguage } from './i18n'
import type { Lang } from './i18n'
import { Home, attention } from './pages/Home'
import type { HomeTarget } from './pages/Home'
import { ImportPage } from './pages/Import'
import { OrderDetail } from './pages/OrderDetail'
import { OrderList } from './pages/OrderList'
import { RestoreNoteBanner, Settings } from './pages/Settings'
import type { SettingsSection } from './pages/Settings'
import { GettingStarted, Welcome } from './pages/Welcome'
import { Work } from './pages/Work'
import { applyQuick, parseQuickSearch } from './pages/orderSearch'
import { parseStartView } from './startView'
import { OfflineBanner, OfflineContext, SharedChip, offlineReason } from './offline'
import { useDataChanged } from './live'

// 売上集計 and its chart library (ECharts) load when the page is first opened, not with the app.
const Reports = lazy(() => import('./pages/Reports').then((m) => ({ default: m.Reports })))

type View = { name: 'home' } | { name: 'orders' } | { name: 'order'; id: number; from: 'orders' | 'work'; siblings?: number[]; action?: string } | { name: 'work' } | { name: 'settings' } | { name: 'import' } | { name: 'reports' }

// The screen a window opens on: ホーム, or the one its address names (#orders, #work…),
// so a reload keeps the screen and a test can start on the list.
const screens = ['home', 'orders', 'work', 'settings', 'import']
function initialView(): View {
  const h = window.location.hash.replace(/^#\/?/, '')
  return screens.includes(h) ? ({ name: h } as View) : { name: 'home' }
}

export default function App() {
  const api = useApi()
  const [info, setInfo] = useState<Info | null>(null)
  const [view, setViewState] = useState<View>(initialView)
  const setView = useCallback((v: View) => {
    setViewState(v)
    if (v.name !== 'order') window.history.replaceState(null, '', `#${v.name}`)
  }, [])
  const [workTab, setWorkTab] = useState('to_capture')
  const [query, setQuery] = useState<OrderSearch>(emptySearch)
  const [error, setError] = useState<UIError | null>(null)
  const [toast, setToast] = useState<{ ja: string; en: string } | null>(null)
  const [overview, setOverview] = useState<Overview | null>(null)
  const [overviewError, setOverviewError] = useState<UIError | null>(null)

  const loadInfo = useCallback(() => {
    api.info().then(setInfo).catch((e) => setError(toUIError(e)))
  }, [api])
  useEffect(loadInfo, [loadInfo])
  // The screen a script asked for (KESSAIDESK_START_VIEW, startView.ts), once.
  const [reportsTab, setReportsTab] = useState<string>()
  const [settingsSection, setSettingsSection] = useState<SettingsSection>()
  const started = useRef(false)
  useEffect(() => {
    if (!info || info.setupNeeded || started.current) return
    started.current = true
    const sv = parseStartView(info.startView)
    if (!sv) return
    if (sv.screen === 'orders') setQuery(applyQuick(emptySearch(), parseQuickSearch(sv.quick)))
    if (sv.screen === 'work' && sv.tab) setWorkTab(sv.tab)
    if (sv.screen === 'reports' && sv.tab) setReportsTab(sv.tab)
    if (sv.screen === 'settings' && sv.tab) setSettingsSection(sv.tab as SettingsSection)
    if (sv.screen !== 'order') {
      setView({ name: sv.screen } as View)
      return
    }
    api.search({ ...emptySearch(), orderNoFrom: sv.orderNo, orderNoTo: sv.orderNo }).then((p) => {
      if (p.rows[0]) setView({ name: 'order', id: p.rows[0].id, from: 'orders', action: sv.action })
    }).catch((e) => setError(toUIError(e)))
  }, [info, api, setView])
  // ホーム's counts, also the navigation's badge: read again on every change of screen,
  // after a sync and once a minute.
  const loadOverview = useCallback(() => {
    api.overview().then((o) => {
      setOverview(o)
      setOverviewError(null)
    }).catch((e) => setOverviewError(toUIError(e)))
  }, [api])
  const ready = !!info && !info.setupNeeded
  useEffect(() => {
    if (!ready) return
    loadOverview()
    const timer = setInterval(loadOverview, 60_000)
    return () => clearInterval(timer)
  }, [ready, view.name, loadOverview])
  useEffect(() => api.onEvent('sync:done', loadOverview), [api, loadOverview])
  // Another desktop changed the shared data (live.ts): the counts and badges are read
  // again, the screens read theirs, and a small note says so for a few seconds.
  const [liveNote, setLiveNote] = useState(0)
  useDataChanged(() => {
    if (!ready) return
    loadOverview()
    setLiveNote((n) => n + 1)
  })
  useEffect(() => {
    if (!liveNote) return
    const timer = setTimeout(() => setLiveNote(0), 4000)
    return () => clearTimeout(timer)
  }, [liveNote])
  // A notice goes after a while (ホーム and 作業リスト keep what it said); a click closes it at once.
  useEffect(() => {
    if (!toast) return
    const timer = setTimeout(() => setToast(null), 12000)
    return () => clearTimeout(timer)
  }, [toast])
  useEffect(() => api.onEvent('notify', (d) => {
    // Go sends both languages (titleEn/bodyEn); the window shows the operator's, also
    // after a change of language.
    const n = d as { title: string; body: string; titleEn?: string; bodyEn?: string }
    setToast({ ja: `${n.title}: ${n.body}`, en: `${n.titleEn || n.title}: ${n.bodyEn || n.body}` })
  }), [api])

  // The shared database's server went away mid-session (its change feed says so within
  // seconds, and again when it is back): said at the top, and nothing is offered to send.
  const [connLost, setConnLost] = useState<{ ja: string; en: string } | null>(null)
  useEffect(() => api.onEvent('shared:connection', (d) => {
    const c = d as { lost: boolean; message?: string; messageEn?: string }
    setConnLost(c.lost ? { ja: c.message ?? '', en: c.messageEn || c.message || '' } : null)
  }), [api])

  const lang: Lang = info?.language === 'en' ? 'en' : 'ja'
  const t = dictionaries[lang]
  // Offline (the shared database cannot be reached): the buttons that send stay disabled with why.
  const why = offlineReason(info, lang)
  const lostWhy = connLost ? (lang === 'en' ? connLost.en : connLost.ja) : ''
  const offlineTitle = info?.databaseMode === 'offline' ? (why ? t.sdb.offlineTitle(why) : t.sdb.offlineBanner) : lostWhy
  useEffect(() => {
    document.documentElement.lang = lang
    setLanguage(lang)
    document.title = lang === 'en' ? 'Kessai Desk' : '決済デスク'
  }, [lang])

  const openUnlinked = () => {
    setWorkTab('unlinked')
    setView({ name: 'work' })
  }
  // The first window on a new data folder asks demo shop or own shop; nothing else
  // is shown before the choice.
  const setup = info?.setupNeeded ?? false
  const goHome = (target: HomeTarget) => {
    if ('work' in target) {
      setWorkTab(target.work)
      setView({ name: 'work' })
    } else {
      setQuery({ ...emptySearch(), paymentStates: target.paymentStates })
      setView({ name: 'orders' })
    }
  }
  const nav = (name: View['name'], testId: string, label: string, active: boolean, badge = 0) => (
    <button data-testid={testId} className={active ? 'active' : ''} aria-current={active ? 'page' : undefined} onClick={() => setView({ name } as View)}>
      {label}{badge > 0 && <span className="nav-badge" data-testid={`${testId}-badge`}>{badge > 999 ? '999+' : badge}</span>}
    </button>
  )
  return (
    <LangContext.Provider value={lang}>
      <OfflineContext.Provider value={offlineTitle}>
      <div className="shell">
        <nav className="side">
          <div className="brand">{t.appName}<small>{lang === 'ja' ? 'Kessai Desk' : '決済デスク'}</small></div>
          {info && !setup && <SharedChip info={info} />}
          {info && !setup && <>
            {nav('home', 'nav-home', t.navHome, view.name === 'home')}
            {nav('orders', 'nav-orders', t.navOrders, view.name === 'orders' || (view.name === 'order' && view.from === 'orders'))}
            {nav('import', 'nav-import', t.navImport, view.name === 'import')}
            {nav('work', 'nav-work', t.navWork, view.name === 'work' || (view.name === 'order' && view.from === 'work'), attention(overview))}
            {nav('reports', 'nav-reports', t.rep.nav, view.name === 'reports')}
            {nav('settings', 'nav-settings', t.navSettings, view.name === 'settings')}
          </>}
          {info?.demo && <div className="demo-flag" data-testid="demo-mode" title={t.demoNotice}>{t.demo}<small>{t.demoFlagNote}</small></div>}
        </nav>
        <main>
          {info && !setup && <OfflineBanner info={info} />}
          {lostWhy && <div className="offline-banner" role="alert" data-testid="connection-lost">{lostWhy}</div>}
          {toast && <div className="toast" role="status" onClick={() => setToast(null)}>{lang === 'en' ? toast.en : toast.ja}</div>}
          {liveNote > 0 && <div className="live-note no-print" role="status" data-testid="live-note">{t.liveUpdated}</div>}
          <ErrorMessage error={error} />
          {info && !setup && <RestoreNoteBanner />}
          {!info && !error && <Spinner text={t.loading} />}
          {info && setup && <Welcome onDone={() => {
            setView({ name: 'orders' })
            loadInfo()
          }} />}
          {info && !setup && <>
            {view.name === 'home' && <Home overview={overview} error={overviewError} onRefresh={loadOverview} onGo={goHome}
              onSetup={(where) => (where === 'unlinked' ? openUnlinked() : setView(where === 'import' ? { name: 'import' } : { name: 'settings' }))} />}
            {view.name === 'orders' && <OrderList query={query} onQuery={setQuery} onOpen={(id, siblings) => setView({ name: 'order', id, from: 'orders', siblings })}
              emptyHint={!info.demo ? <GettingStarted onGo={(where) => (where === 'unlinked' ? openUnlinked() : setView(where === 'import' ? { name: 'import' } : { name: 'settings' }))} /> : undefined} />}
            {view.name === 'import' && <ImportPage onOpenUnlinked={openUnlinked} />}
            {view.name === 'work' && <Work tab={workTab} onTab={setWorkTab} onOpen={(id: number, siblings?: number[]) => setView({ name: 'order', id, from: 'work', siblings })} />}
            {view.name === 'order' && <OrderDetail orderId={view.id} siblings={view.siblings} startAction={view.action} onOpen={(id) => setView({ ...view, id, action: undefined })} onBack={() => {
              setView(view.from === 'work' ? { name: 'work' } : { name: 'orders' })
              setQuery((q) => ({ ...q })) // refresh the list: states may have changed
            }} />}
            {view.name === 'reports' && <Suspense fallback={<Spinner text={t.loading} />}><Reports tab={reportsTab} /></Suspense>}
            {view.name === 'settings' && <Settings info={info} onChanged={loadInfo} section={settingsSection} />}
          </>}
        </main>
      </div>
      </OfflineContext.Provider>
    </LangContext.Provider>
  )
}

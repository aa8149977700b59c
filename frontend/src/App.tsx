import { useCallback, useEffect, useState } from 'react'
import { emptySearch, toUIError, useApi } from './api'
import type { Info, OrderSearch, UIError } from './api'
import { ErrorMessage, Spinner } from './components/common'
import { LangContext, dictionaries } from './i18n'
import type { Lang } from './i18n'
import { ImportPage } from './pages/Import'
import { OrderDetail } from './pages/OrderDetail'
import { OrderList } from './pages/OrderList'
import { Settings } from './pages/Settings'
import { GettingStarted, Welcome } from './pages/Welcome'
import { Work } from './pages/Work'

type View = { name: 'orders' } | { name: 'order'; id: number; from: 'orders' | 'work' } | { name: 'work' } | { name: 'settings' } | { name: 'import' }

export default function App() {
  const api = useApi()
  const [info, setInfo] = useState<Info | null>(null)
  const [view, setView] = useState<View>({ name: 'orders' })
  const [workTab, setWorkTab] = useState('to_capture')
  const [query, setQuery] = useState<OrderSearch>(emptySearch)
  const [error, setError] = useState<UIError | null>(null)
  const [toast, setToast] = useState('')

  const loadInfo = useCallback(() => {
    api.info().then(setInfo).catch((e) => setError(toUIError(e)))
  }, [api])
  useEffect(loadInfo, [loadInfo])
  useEffect(() => api.onEvent('notify', (d) => {
    const n = d as { title: string; body: string }
    setToast(`${n.title}: ${n.body}`)
  }), [api])

  const lang: Lang = info?.language === 'en' ? 'en' : 'ja'
  const t = dictionaries[lang]
  useEffect(() => {
    document.documentElement.lang = lang
    document.title = lang === 'en' ? 'Kessai Desk' : '決済デスク'
  }, [lang])

  const openUnlinked = () => {
    setWorkTab('unlinked')
    setView({ name: 'work' })
  }
  // The first window on a new data folder asks demo shop or own shop; nothing else
  // is shown before the choice.
  const setup = info?.setupNeeded ?? false
  const nav = (name: View['name'], testId: string, label: string, active: boolean) => (
    <button data-testid={testId} className={active ? 'active' : ''} onClick={() => setView({ name } as View)}>{label}</button>
  )
  return (
    <LangContext.Provider value={lang}>
      <div className="shell">
        <nav className="side">
          <div className="brand">{t.appName}<small>{lang === 'ja' ? 'Kessai Desk' : '決済デスク'}</small></div>
          {info && !setup && <>
            {nav('orders', 'nav-orders', t.navOrders, view.name === 'orders' || (view.name === 'order' && view.from === 'orders'))}
            {nav('import', 'nav-import', t.navImport, view.name === 'import')}
            {nav('work', 'nav-work', t.navWork, view.name === 'work' || (view.name === 'order' && view.from === 'work'))}
            {nav('settings', 'nav-settings', t.navSettings, view.name === 'settings')}
          </>}
          {info?.demo && <div className="demo-flag" data-testid="demo-mode" title={t.demoNotice}>{t.demo}</div>}
        </nav>
        <main>
          {info?.demo && <div className="demo-banner">{t.demoNotice}</div>}
          {toast && <div className="toast" role="status" onClick={() => setToast('')}>{toast}</div>}
          <ErrorMessage error={error} />
          {!info && !error && <Spinner text={t.loading} />}
          {info && setup && <Welcome onDone={() => {
            setView({ name: 'orders' })
            loadInfo()
          }} />}
          {info && !setup && <>
            {view.name === 'orders' && <OrderList query={query} onQuery={setQuery} onOpen={(id) => setView({ name: 'order', id, from: 'orders' })}
              emptyHint={!info.demo ? <GettingStarted onGo={(where) => (where === 'unlinked' ? openUnlinked() : setView(where === 'import' ? { name: 'import' } : { name: 'settings' }))} /> : undefined} />}
            {view.name === 'import' && <ImportPage onOpenUnlinked={openUnlinked} />}
            {view.name === 'work' && <Work tab={workTab} onTab={setWorkTab} onOpen={(id) => setView({ name: 'order', id, from: 'work' })} />}
            {view.name === 'order' && <OrderDetail orderId={view.id} onBack={() => {
              setView(view.from === 'work' ? { name: 'work' } : { name: 'orders' })
              setQuery((q) => ({ ...q })) // refresh the list: states may have changed
            }} />}
            {view.name === 'settings' && <Settings info={info} onChanged={loadInfo} />}
          </>}
        </main>
      </div>
    </LangContext.Provider>
  )
}

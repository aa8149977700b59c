import { useCallback, useEffect, useState } from 'react'
import { emptySearch, toUIError, useApi } from './api'
import type { Info, OrderSearch, UIError } from './api'
import { ErrorMessage } from './components/common'
import { LangContext, dictionaries } from './i18n'
import type { Lang } from './i18n'
import { OrderDetail } from './pages/OrderDetail'
import { OrderList } from './pages/OrderList'
import { Settings } from './pages/Settings'
import { Work } from './pages/Work'

type View = { name: 'orders' } | { name: 'order'; id: number; from: 'orders' | 'work' } | { name: 'work' } | { name: 'settings' }

export default function App() {
  const api = useApi()
  const [info, setInfo] = useState<Info | null>(null)
  const [view, setView] = useState<View>({ name: 'orders' })
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

  return (
    <LangContext.Provider value={lang}>
      <div className="shell">
        <nav className="side">
          <div className="brand">{t.appName}<small>{lang === 'ja' ? 'Kessai Desk' : '決済デスク'}</small></div>
          <button data-testid="nav-orders" className={view.name === 'orders' || (view.name === 'order' && view.from === 'orders') ? 'active' : ''}
            onClick={() => setView({ name: 'orders' })}>{t.navOrders}</button>
          <button data-testid="nav-work" className={view.name === 'work' || (view.name === 'order' && view.from === 'work') ? 'active' : ''}
            onClick={() => setView({ name: 'work' })}>{t.navWork}</button>
          <button data-testid="nav-settings" className={view.name === 'settings' ? 'active' : ''}
            onClick={() => setView({ name: 'settings' })}>{t.navSettings}</button>
          {info?.demo && <div className="demo-flag" data-testid="demo-mode" title={t.demoNotice}>{t.demo}</div>}
        </nav>
        <main>
          {info?.demo && <div className="demo-banner">{t.demoNotice}</div>}
          {toast && <div className="toast" role="status" onClick={() => setToast('')}>{toast}</div>}
          <ErrorMessage error={error} />
          {view.name === 'orders' && <OrderList query={query} onQuery={setQuery} onOpen={(id) => setView({ name: 'order', id, from: 'orders' })} />}
          {view.name === 'work' && <Work onOpen={(id) => setView({ name: 'order', id, from: 'work' })} />}
          {view.name === 'order' && <OrderDetail orderId={view.id} onBack={() => {
            setView(view.from === 'work' ? { name: 'work' } : { name: 'orders' })
            setQuery((q) => ({ ...q })) // refresh the list: states may have changed
          }} />}
          {view.name === 'settings' && info && <Settings info={info} onChanged={loadInfo} />}
        </main>
      </div>
    </LangContext.Provider>
  )
}

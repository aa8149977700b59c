import { useEffect, useRef, useState } from 'react'
import { toUIError, useApi } from '../api'
import type { LinkProgress, UIError } from '../api'
import { useT } from '../i18n'
import { useOffline } from '../offline'
import { ErrorMessage, ProgressBar } from './common'

// LinkRunner starts the link run (every order waiting for its payment, each with its
// own gateway profile), shows its progress from "link:progress" with 中止, and the
// counts when it ends. A run already going (started elsewhere, or resumed after a
// restart) is shown too. Linking only reads from the gateways; no money moves.
export function LinkRunner({ onFinished }: { onFinished?: () => void }) {
  const api = useApi()
  const t = useT()
  const offline = useOffline() // linking asks the gateways and saves what they say
  const [progress, setProgress] = useState<LinkProgress | null>(null)
  const [started, setStarted] = useState(false)
  const [stopping, setStopping] = useState(false)
  const [error, setError] = useState<UIError | null>(null)
  const finished = useRef(onFinished)
  finished.current = onFinished

  useEffect(() => {
    let live = true
    api.linkProgress().then((p) => live && p.running && setProgress(p)).catch(() => {})
    const off = api.onEvent('link:progress', (d) => {
      const p = d as LinkProgress
      setProgress(p)
      if (!p.running) {
        setStopping(false)
        finished.current?.()
      }
    })
    return () => {
      live = false
      off()
    }
  }, [api])

  const start = async () => {
    setError(null)
    setStarted(true)
    setStopping(false)
    setProgress({ running: true, done: 0, total: 0, linked: 0, notFound: 0, ambiguous: 0, failed: 0, noProfile: 0, message: '' })
    try {
      await api.linkStart(0, [])
      // A short run may end before its events reach us: ask once.
      const p = await api.linkProgress()
      setProgress((cur) => (cur && !cur.running ? cur : p))
      if (!p.running) finished.current?.()
    } catch (e) {
      setProgress(null)
      setError(toUIError(e))
    }
  }
  const stop = () => {
    setStopping(true)
    api.linkCancel().catch((e) => setError(toUIError(e)))
  }
  const running = progress?.running ?? false
  return (
    <div className="link-runner" data-testid="link-runner">
      {!running && <button className="primary" data-testid="link-start" disabled={!!offline} title={offline || undefined} onClick={start}>{t.linkRun}</button>}
      {running && progress && (
        <ProgressBar testId="link-progress" text={t.linkRunning(progress.done, progress.total)} value={progress.done} max={progress.total}
          onCancel={stop} stopping={stopping} />
      )}
      {started && progress && !running && (
        <div className="notice" role="status" data-testid="link-result">
          {t.linkDone(progress)}
          {progress.done < progress.total && !progress.error && <div>{t.linkStopped(progress.total - progress.done)}</div>}
          {progress.error && <div className="error" data-testid="link-error">{t.lang === 'en' ? progress.errorEn || progress.error : progress.error}</div>}
        </div>
      )}
      <ErrorMessage error={error} />
    </div>
  )
}

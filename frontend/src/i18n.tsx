// UI strings live in i18next resources (locales/ja.json, locales/en.json): plurals by
// i18next's rules (English `_one`/`_other`; Japanese has one form), `_context` variants,
// numbers, yen and dates through Intl. Codes from Go arrive as labels that carry both
// languages. This file keeps the dictionary the pages read (useT: string fields and
// function fields), built from the resources once per language, so pages need not change.
// Add a text: put its key in BOTH json files (a test fails otherwise); a text with values
// gets a function field in build() below.
import { createContext, useContext } from 'react'
import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import type { ConsoleImportResult, ImportResult, Label, LinkProgress } from './api'
import jaRes from './locales/ja.json'
import enRes from './locales/en.json'

export type Lang = 'ja' | 'en'

export const resources = { ja: jaRes, en: enRes }

// Made once: a formatter costs far more to make than to use (a list shows hundreds).
const yenDigits = new Intl.NumberFormat('ja-JP')
const jstMinutes = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
})
const longDates: Record<Lang, Intl.DateTimeFormat> = {
  ja: new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' }),
}
const asLang = (lng: string | undefined): Lang => (lng === 'en' ? 'en' : 'ja')

// One instance for the app (react-i18next's useTranslation sees it too).
export const i18n = i18next.createInstance()
i18n.use(initReactI18next).init({
  resources: { ja: { translation: jaRes }, en: { translation: enRes } },
  lng: 'ja',
  fallbackLng: false, // a missing key shows as the key (and fails the test), never the other language
  supportedLngs: ['ja', 'en'],
  interpolation: { escapeValue: false }, // React escapes
  initAsync: false,
  returnNull: false,
})
// {{n, yen}} → 12,800円 / ¥12,800; {{d, longDate}} → 2026年12月2日(水) / Wed 2 December 2026 (JST);
// {{d, date}} → 2026/12/02 in both. {{n, number}} is i18next's own (Intl.NumberFormat).
i18n.services.formatter?.add('yen', (v, lng) => yen(Number(v), asLang(lng)))
i18n.services.formatter?.add('longDate', (v, lng) => longDates[asLang(lng)].format(v instanceof Date ? v : new Date(v)))
i18n.services.formatter?.add('date', (v) => dateOnly(v instanceof Date ? v : new Date(v)))

// setLanguage makes i18next's current language the app's (for useTranslation users).
export function setLanguage(lang: Lang) {
  if (i18n.language !== lang) void i18n.changeLanguage(lang)
}

export type Tr = (key: string, options?: Record<string, unknown>) => string

// Every plain text of a resource object, read in one language, as a field. Nested objects
// are records (t.homeHealth[state]) read whole. Left out: variants (key_one, key_context),
// templates ({{value}}: function fields in buildDictionary) and the units nested by $t().
type Fields<R> = { [K in keyof R as K extends `${string}_${string}` | 'units' ? never : K]: R[K] extends string ? string : Record<string, string> }
const isTemplate = (s: string) => s.includes('{{') || s.includes('$t(')
function strings<R extends object>(t: Tr, prefix: string, res: R): Fields<R> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(res)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (k.includes('_') || k === 'units' || (typeof v === 'string' && isTemplate(v))) continue
    if (typeof v === 'string') out[k] = t(key)
    // a section (rep, set: its own texts and templates) is built in buildDictionary
    else if (Object.values(v as object).every((x) => typeof x === 'string' && !isTemplate(x))) out[k] = record(t, key, v as object)
  }
  return out as Fields<R>
}
function record(t: Tr, prefix: string, res: object): Record<string, string> {
  return Object.fromEntries(Object.keys(res).map((k) => [k, t(`${prefix}.${k}`)]))
}

// buildDictionary is the dictionary the pages read, over any t (the tests record the keys).
export function buildDictionary(t: Tr) {
  const res = jaRes
  return {
    ...strings(t, '', res),
    supportSaved: (path: string) => t('supportSaved', { path }),
    count: (n: number, atLeast: boolean) => t('count', { n, count: n, context: atLeast ? 'atLeast' : undefined }),
    page: (p: number, pages: number) => t('page', { p, pages, count: p }),
    daysLeft: (d: number) => t('daysLeft', { d, count: d, context: d < 0 ? 'expired' : undefined }),
    confirmTitle: (what: string) => t('confirmTitle', { what }),
    manualRefund: (y: string) => t('manualRefund', { y }),
    execute: (what: string) => t('execute', { what }),
    dlgWaited: (s: number) => t('dlgWaited', { s, count: s }),
    odPosition: (i: number, n: number) => t('odPosition', { i, n, count: i }),
    odStatusConfirm: (from: string, to: string) => t('odStatusConfirm', { from, to }),
    odStatusSaved: (s: string) => t('odStatusSaved', { s }),
    odAmountMismatch: (pay: string, order: string) => t('odAmountMismatch', { pay, order }),
    bulkAmount: (y: string) => t('bulkAmount', { y }),
    bulkCount: (n: number) => t('bulkCount', { n, count: n }),
    syncing: (d: number, n: number) => t('syncing', { d, n, count: d }),
    offlineSince: (since: string) => t('offlineSince', { t: since }),
    holdCancelled: (no: string) => t('holdCancelled', { no }),
    holdKept: (no: string) => t('holdKept', { no }),
    deleteProfileConfirm: (n: string) => t('deleteProfileConfirm', { n }),
    backupDone: (n: string) => t('backupDone', { n }),
    restoreConfirm: (n: string) => t('restoreConfirm', { n }),
    restorePending: (n: string) => t('restorePending', { n }),
    selected: (n: number) => t('selected', { n, count: n }),
    bulkCapture: (n: number) => t('bulkCapture', { n, count: n }),
    bulkCancel: (n: number) => t('bulkCancel', { n, count: n }),
    bulkConfirm: (what: string, n: number) => t('bulkConfirm', { what, n, count: n }),
    bulkRunning: (d: number, n: number) => t('bulkRunning', { d, n, count: d }),
    bulkDone: (ok: number, failed: number, other: number) => t('bulkDone', { ok, failed, other, context: other ? 'withOther' : undefined }),
    encodingAuto: (d: string) => t('encodingAuto', { d, context: d ? 'detected' : undefined }),
    lineNo: (n: number) => t('lineNo', { n, count: n }),
    importDeleteConfirm: (n: string) => t('importDeleteConfirm', { n }),
    importOwnCopy: (label: string) => t('importOwnCopy', { label }),
    importLayoutSaved: (n: string) => t('importLayoutSaved', { n }),
    importLayoutDeleted: (n: string) => t('importLayoutDeleted', { n }),
    mappingNth: (h: string, n: number) => t('mappingNth', { h, n, count: n }),
    mappingMissing: (c: string) => t('mappingMissing', { c }),
    importChecking: (n: number) => t('importChecking', { n, count: n }),
    importSaving: (n: number) => t('importSaving', { n, count: n }),
    importRead: (rows: number, orders: number, enc: string) => t('importRead', { rows, orders, enc, count: rows }),
    importWithIds: (n: number) => t('importWithIds', { n, count: n }),
    importMoreProblems: (n: number) => t('importMoreProblems', { n, count: n }),
    importDone: (r: ImportResult) => t('importDone', { r }),
    importConflictsKept: (n: number) => t('importConflictsKept', { n, count: n }),
    linkRunning: (d: number, n: number) => t('linkRunning', { d, n, count: d }),
    linkStopped: (n: number) => t('linkStopped', { n, count: n }),
    linkDone: (p: LinkProgress) => t('linkDone', { p }),
    candidatesLead: (n: number) => t('candidatesLead', { n, count: n }),
    linkChosen: (no: string) => t('linkChosen', { no }),
    consoleDone: (r: ConsoleImportResult) => t('consoleDone', { r }),
    linkNoProfile: (m: string) => t('linkNoProfile', { m }),
    linkConsoleHint: (g: string) => t('linkConsoleHint', { g: g || t('linkConsoleHintGateway') }),
    amountDiffers: (total: string) => t('amountDiffers', { total }),
    exportLead: (n: number) => t('exportLead', { n, count: n }),
    exportRunning: (d: number, n: number) => t('exportRunning', { d, n, count: d }),
    exportDone: (n: number, path: string) => t('exportDone', { n, path, count: n }),
    salesCancelText: (from: string, days: number) => t('salesCancelText', { days, count: days, context: from === 'auth' ? 'auth' : undefined }),
    homeToday: (d: Date) => t('homeToday', { d }),
    homeCount: (n: number) => t('homeCount', { n, count: n }),
    homeLines: (n: number) => t('homeLines', { n, count: n }),
    homeBucket: (min: number | null, max: number | null) =>
      t('homeBucket', { min, max, count: max ?? min ?? 0, context: max !== null && max < 0 ? 'expired' : min === 0 ? 'today' : max === null ? 'over' : undefined }),
    homeSyncOk: (at: string) => t('homeSyncOk', { at }),
    homeSyncError: (at: string) => t('homeSyncError', { at }),
    homeSyncOffline: (at: string) => t('homeSyncOffline', { at }),
    homeLastGood: (at: string) => t('homeLastGood', { at }),
    bulkReviewNote: (review: number, inquire: number) =>
      [review > 0 ? t('bulkReviewNoteReview', { count: review }) : '', inquire > 0 ? t('bulkReviewNoteInquire', { count: inquire }) : ''].filter(Boolean).join(t('sentenceJoin')),
    bulkInquire: (n: number) => t('bulkInquire', { n, count: n }),
    bulkStatusApply: (n: number) => t('bulkStatusApply', { n, count: n }),
    bulkStatusChanged: (n: number) => t('bulkStatusChanged', { n, count: n }),
    bulkStatusRefused: (n: number) => t('bulkStatusRefused', { n, count: n }),
    savedDone: (name: string) => t('savedDone', { name }),
    // （…） in Japanese, ( … ) with its space in English
    inParens: (s: string) => t('inParens', { s }),
    rep: {
      ...strings(t, 'rep', res.rep),
      exported: (p: string) => t('rep.exported', { p }),
      items: (n: number) => t('rep.items', { n, count: n }),
      daysLeft: (n: number) => t('rep.daysLeft', { n, count: n }),
      daysPast: (n: number) => t('rep.daysPast', { n, count: n }),
      feeDefault: (y: string) => t('rep.feeDefault', { y }),
    },
    set: {
      ...strings(t, 'set', res.set),
      runDeposits: (n: number) => t('set.runDeposits', { n, count: n }),
      runExpired: (n: number) => t('set.runExpired', { n, count: n }),
      runUpdated: (n: number) => t('set.runUpdated', { n, count: n }),
      runDrifts: (n: number) => t('set.runDrifts', { n, count: n }),
      runResolved: (n: number) => t('set.runResolved', { n, count: n }),
      runHolds: (n: number) => t('set.runHolds', { n, count: n }),
      runOffline: (s: string) => t('set.runOffline', { s }),
      restoreChosen: (name: string, n: number) => t('set.restoreChosen', { name, n, count: n }),
      backupHelp: (dir: string) => t('set.backupHelp', { dir }),
      restored: (name: string, when: string, n: number) => t('set.restored', { name, when, n, count: n }),
      restoredPrev: (name: string) => t('set.restoredPrev', { name }),
      restoreRefused: (name: string, why: string) => t('set.restoreRefused', { name, why }),
      certLoaded: (f: string) => t('set.certLoaded', { f }),
      certInfo: (who: string, until: string, d: number) => t('set.certInfo', { who, until, d, count: d }),
      certExpiring: (d: number) => t('set.certExpiring', { d, count: d }),
    },
    // 設定 → 共有データベース and the offline banner (pages/SharedDB.tsx, offline.tsx)
    sdb: {
      ...strings(t, 'sdb', res.sdb),
      copyAt: (when: string) => t('sdb.copyAt', { when }),
      why: (why: string) => t('sdb.why', { why }),
      recorded: (operator: string, pc: string) => t('sdb.recorded', { operator, pc }),
      version: (v: string) => t('sdb.version', { v }),
      schemaTeam: (n: number) => t('sdb.schemaTeam', { n, count: n }),
      moveToServerConfirm: (server: string) => t('sdb.moveToServerConfirm', { server }),
      movingTable: (table: string, done: number, total: number) => t('sdb.movingTable', { table, done, total, count: total }),
      movedToServer: (server: string) => t('sdb.movedToServer', { server }),
      joinConfirm: (server: string) => t('sdb.joinConfirm', { server }),
      joined: (server: string) => t('sdb.joined', { server }),
      saveSettingsConfirm: (server: string) => t('sdb.saveSettingsConfirm', { server }),
      moveToLocalConfirm: (server: string) => t('sdb.moveToLocalConfirm', { server }),
      offlineTitle: (why: string) => t('sdb.offlineTitle', { why }),
      chip: (where: string) => t('sdb.chip', { where }),
    },
  }
}

type Dict = ReturnType<typeof buildDictionary>

const built: Partial<Record<Lang, Dict>> = {}
function dict(lang: Lang): Dict {
  const fixed = i18n.getFixedT(lang)
  return (built[lang] ??= buildDictionary((key, options) => String(fixed(key, options as never))))
}

// dictionaries.ja / dictionaries.en, each built on first use.
export const dictionaries: Record<Lang, Dict> = {
  get ja() { return dict('ja') },
  get en() { return dict('en') },
}

export const LangContext = createContext<Lang>('ja')

type T = Dict & { lang: Lang; label: (l: Label | undefined | null) => string }

// One object per language, made once: every badge and cell of a long list calls useT,
// and copying the dictionary per call cost a scrolling list most of its frame.
const withLang: Partial<Record<Lang, T>> = {}

export function useT(): T {
  const lang = useContext(LangContext)
  return (withLang[lang] ??= { ...dict(lang), lang, label: (l) => (l ? (lang === 'en' ? l.en || l.ja : l.ja || l.code) : '') })
}

// yen formats integer yen the way the back offices do: 12,800円 / ¥12,800.
export function yen(n: number, lang: Lang = 'ja'): string {
  const s = yenDigits.format(Math.trunc(n))
  return lang === 'en' ? `¥${s}` : `${s}円`
}

function jstParts(d: Date) {
  const parts = jstMinutes.formatToParts(d)
  return (t: string) => parts.find((p) => p.type === t)?.value ?? ''
}

// dateOnly shows a day in JST as 2026/11/24.
function dateOnly(d: Date): string {
  if (Number.isNaN(d.getTime())) return ''
  const get = jstParts(d)
  return `${get('year')}/${get('month')}/${get('day')}`
}

// dateTime shows an RFC 3339 time in JST as 2026/11/24 09:05.
export function dateTime(s: string): string {
  if (!s) return ''
  const d = new Date(s)
  if (Number.isNaN(d.getTime())) return s
  const get = jstParts(d)
  return `${get('year')}/${get('month')}/${get('day')} ${get('hour')}:${get('minute')}`
}

// Every call from the UI to Go goes through this module: components use the Api from
// context, the window gets the Wails bindings, tests get a fake.
import { createContext, useContext } from 'react'
import type {
  ActionInput, ActionPreview, BackupInfo, Backups, BulkJob, BulkSelection, ConsoleImportRequest, ConsoleImportResult, DriftRow, ExportEncoding,
  ExportResult, FeeRow, GatewayKindInfo, HoldRow, ImportFieldSpec, ImportFileInfo, ImportLayout, ImportPreview, ImportRequest, ImportResult,
  Info, LinkProgress, LinkRow, OperationResult, OrderDetail, OrderPage, OrderRow, OrderSearch, Options, Overview, ProfileInput, ProfileView,
  RefundRow, Rules, StockRow, SyncState, TestResult, TxIds, TxView, UIError, WorkListInfo,
  CertificateView, DueView, FeeSchedule, FeesView, ReportQuery, ReportTable, RestoreChoice, RestoreNote, SalesView, SyncRun,
  MoveReport, SharedDBForm, SharedDBStatus, SharedTestResult,
} from './types'

export * from './types'
import type { AboutInfo } from './types'

export interface Api {
  // 設定 → サポート (Support): About, the log's level and folder, the support bundle.
  about(): Promise<AboutInfo>
  setLogLevel(level: string): Promise<void>
  openLogFolder(): Promise<void>
  exportSupportBundle(): Promise<string> // the OS save dialog; the file written, '' when cancelled
  options(): Promise<Options>
  search(q: OrderSearch): Promise<OrderPage>
  detail(orderId: number): Promise<OrderDetail>
  preview(paymentId: number, input: ActionInput): Promise<ActionPreview>
  setOrderStatus(orderId: number, status: string): Promise<OrderDetail> // 対応状況 by hand; refused where it would hide the payment's state
  run(paymentId: number, input: ActionInput, idempotencyKey: string): Promise<OperationResult>
  resolve(operationId: number): Promise<OperationResult>
  recordOutcome(operationId: number, applied: boolean, newId: string): Promise<OperationResult>
  // A payment waiting for a choice among several transactions (Payment.review): add ids
  // pasted from the gateway's console (each checked), or choose the current one.
  addCandidates(paymentId: number, ids: string[]): Promise<OperationResult>
  chooseCandidate(paymentId: number, tranId: string): Promise<OperationResult>
  info(): Promise<Info>
  setLanguage(lang: string): Promise<void>
  setOperator(name: string): Promise<void>
  removeDemo(): Promise<void>
  rules(): Promise<Rules>
  saveRules(r: Rules): Promise<void>
  backups(): Promise<Backups>
  backup(): Promise<BackupInfo>
  restore(name: string): Promise<RestoreChoice | void> // checked first; applied at the next start
  restoreFromFile(path: string): Promise<RestoreChoice | null> // path '' = the OS open dialog; null when cancelled
  cancelRestore(): Promise<void>
  saveBackupSettings(auto: boolean, keep: string): Promise<void>
  restoreNote(): Promise<RestoreNote | null> // what the restore at this start did
  dismissRestoreNote(): Promise<void>
  restart(): Promise<void>
  // 設定 → 共有データベース (app/shareddb.go). Every change takes effect at the restart.
  // The moves emit "shared:progress" (MoveProgress).
  sharedStatus(): Promise<SharedDBStatus>
  sharedTest(f: SharedDBForm): Promise<SharedTestResult> // changes nothing
  sharedJoin(f: SharedDBForm): Promise<SharedTestResult>
  sharedMoveToServer(f: SharedDBForm): Promise<MoveReport>
  sharedMoveToLocal(): Promise<MoveReport>
  sharedLeave(): Promise<void>
  sharedChooseCAFile(): Promise<string> // the OS open dialog; '' when cancelled
  syncRuns(): Promise<SyncRun[]>
  // 売上集計
  reportSales(q: ReportQuery): Promise<SalesView>
  reportOutstanding(q: ReportQuery): Promise<DueView>
  reportDeposits(q: ReportQuery): Promise<DueView>
  reportFees(month: string): Promise<FeesView>
  feeSchedules(): Promise<FeeSchedule[]>
  saveFeeSchedule(profileId: number, fees: Record<string, string>): Promise<void>
  // CSV出力 of a report table; path '' = the save dialog ({path:''} when cancelled)
  exportReport(table: ReportTable, q: ReportQuery, month: string, encoding: ExportEncoding, path: string): Promise<ExportResult>
  workLists(): Promise<WorkListInfo[]>
  workList(code: string): Promise<OrderRow[]>
  syncStatus(): Promise<SyncState>
  syncNow(): Promise<void>
  drifts(): Promise<DriftRow[]>
  acceptGateway(paymentId: number): Promise<void>
  pushOurs(paymentId: number): Promise<string>
  // 出荷を止める: orders whose payment was cancelled or refunded at the gateway before shipping.
  holds(): Promise<HoldRow[]>
  cancelHeldOrder(paymentId: number): Promise<void> // the payment takes the gateway's state, the order キャンセル
  keepHeldOrder(paymentId: number): Promise<void> // the order stays as it is
  cancelStock(status: string): Promise<StockRow[]>
  markStockReturned(ids: number[]): Promise<void>
  refundTasks(status: string): Promise<RefundRow[]>
  completeRefundTask(id: number): Promise<void>
  fees(month: string): Promise<FeeRow[]>
  gatewayKinds(): Promise<GatewayKindInfo[]>
  profiles(): Promise<ProfileView[]>
  saveProfile(p: ProfileInput): Promise<ProfileView>
  deleteProfile(id: number): Promise<void>
  testProfile(id: number): Promise<TestResult>
  testProfileDraft(p: ProfileInput): Promise<TestResult> // before saving; cancelProfileTest stops it
  cancelProfileTest(): Promise<void>
  readCertificate(path: string, password: string): Promise<CertificateView | null> // path '' = the open dialog
  checkCertificate(content: string, password: string): Promise<CertificateView>
  // A selection's rows, each with the version its row showed: a payment changed since
  // is skipped or refused with the reason, the others are sent.
  bulkStart(intent: string, selection: BulkSelection[]): Promise<number>
  bulkCancel(jobId: number): Promise<boolean>
  bulkRetryFailed(jobId: number): Promise<number>
  bulkJob(jobId: number): Promise<BulkJob>
  // First start (a new data folder): the demo shop, or the operator's own shop.
  startDemo(): Promise<void>
  startOwnShop(): Promise<void>
  // 受注取込. Preview and commit emit "import:progress" (ImportProgress).
  importChooseFile(): Promise<string> // the OS open dialog; '' when cancelled
  importInspect(path: string, encoding: string): Promise<ImportFileInfo> // encoding '' = detect
  importLayouts(): Promise<ImportLayout[]>
  importFields(): Promise<ImportFieldSpec[]>
  importSaveLayout(l: ImportLayout): Promise<void>
  importDeleteLayout(name: string): Promise<void>
  importPreview(req: ImportRequest): Promise<ImportPreview>
  importCommit(req: ImportRequest): Promise<ImportResult>
  importCancel(): Promise<void>
  // 連携 (linking orders to the gateway's transactions). The run emits "link:progress" (LinkProgress).
  linkStart(profileId: number, orderIds: number[]): Promise<void> // 0 = each order's own profile; [] = every waiting order
  linkCancel(): Promise<void>
  linkProgress(): Promise<LinkProgress>
  unlinked(): Promise<LinkRow[]>
  linkCheck(orderId: number, profileId: number, ids: TxIds[]): Promise<TxView[]> // asks the gateway, saves nothing
  linkAttach(orderId: number, profileId: number, ids: TxIds, amount: number): Promise<void> // amount: SBPS only, else 0
  linkChoose(orderId: number, candidate: number): Promise<void> // the index of an ambiguous row's candidate
  linkConsoleLayouts(): Promise<ImportLayout[]>
  linkImportConsole(req: ConsoleImportRequest): Promise<ConsoleImportResult>
  // CSV出力 of a search. path '' = the save dialog; {path:'', count:0} when cancelled. Emits "export:progress".
  exportOrders(q: OrderSearch, encoding: ExportEncoding, path: string): Promise<ExportResult>
  exportCancel(): Promise<void>
  // ホーム: the counts of every work list and each gateway's sync health.
  overview(): Promise<Overview>
  // onEvent subscribes to a Go event ("bulk:progress", "sync:progress", "notify") and
  // returns the unsubscribe function.
  onEvent(name: string, cb: (data: unknown) => void): () => void
}

export const ApiContext = createContext<Api | null>(null)

export function useApi(): Api {
  const api = useContext(ApiContext)
  if (!api) throw new Error('ApiContext is not provided')
  return api
}

// toUIError turns whatever a rejected call gave into {code, message, messageEn}.
export function toUIError(e: unknown): UIError {
  // The window rejects with the JSON string of app.UIError; the dev server's IPC wraps
  // it in an Error whose message is that string.
  if (e instanceof Error && e.message.startsWith('{')) {
    const x = toUIError(e.message)
    if (x.code !== 'EINTERNAL' || x.message !== e.message) return x
  }
  if (e && typeof e === 'object' && 'message' in e && typeof (e as { message: unknown }).message === 'object') {
    return toUIError((e as { message: unknown }).message)
  }
  if (e && typeof e === 'object' && 'message' in e && 'code' in e) {
    const x = e as UIError
    return { code: x.code, message: x.message, messageEn: x.messageEn ?? x.message, ...(x.changed ? { changed: true } : {}) }
  }
  if (typeof e === 'string') {
    try {
      const x = JSON.parse(e)
      if (x && typeof x === 'object' && 'message' in x) return toUIError(x)
    } catch {
      /* a plain string */
    }
    return { code: 'EINTERNAL', message: e, messageEn: e }
  }
  const msg = e instanceof Error ? e.message : String(e)
  return { code: 'EINTERNAL', message: msg, messageEn: msg }
}

// newIdempotencyKey is made when an action dialog opens: a double click resends the
// same key and the journal refuses the second request.
export function newIdempotencyKey(): string {
  const b = new Uint8Array(16)
  crypto.getRandomValues(b)
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}

// The shapes the Go app layer (app/dto.go) sends and receives. Amounts are integer
// yen; times are RFC 3339 strings in JST ("" for none).

export interface Label {
  code: string
  ja: string
  en: string
}

export interface OrderSearch {
  orderNoFrom: string
  orderNoTo: string
  statuses: string[]
  name: string
  kana: string
  email: string
  tel: string
  methods: string[]
  paymentStates: string[]
  orderedFrom: string
  orderedTo: string
  updatedFrom: string
  updatedTo: string
  totalMin: string
  totalMax: string
  product: string
  sort: string
  page: number
  pageSize: number
  after?: string // the previous page's next: the page after it (page is then ignored)
}

export interface OrderRow {
  id: number
  orderNo: string
  orderedAt: string
  updatedAt: string
  customerName: string
  customerKana: string
  paymentMethod: Label
  total: number
  status: Label
  paymentId: number
  paymentState: Label
  gateway: string
  authExpiresAt: string
  authDaysLeft: number | null
  inFlight: boolean
  demo: boolean
  // The version of the row's payment as listed: a bulk run of a selection sends it, so a
  // payment changed since (another desktop sold it…) is not sent blindly.
  paymentVersion: number
}

export interface OrderPage {
  rows: OrderRow[]
  total: number
  totalAtLeast: boolean
  page: number
  pageSize: number
  next: string // cursor of the following page (OrderSearch.after); '' = last page
}

export interface LineItem {
  productCode: string
  productName: string
  variant: string
  unitPrice: number
  quantity: number
  amount: number
}

export interface Operation {
  id: number
  kind: Label
  amount: number
  state: Label
  requestedAt: string
  respondedAt: string
  gatewayCode: string
  message: string
  operator: string
  pc?: string // the PC (hostname) it was begun on; '' in entries made before it was kept
  reason: string
  beforeState: Label
  afterState: Label
  newIdNeeded?: boolean
  messageEn?: string // a short English account (the journal keeps Japanese)
  amountImplied?: boolean // a cancel names no amount: amount is the one it applied to
}

export interface Payment {
  id: number
  gateway: string
  gatewayLabel: string
  profileName: string
  demo: boolean
  method: Label
  state: Label
  rawStatus: string
  gatewayOrderId: string
  gatewayTranId: string
  amountAuthorized: number
  amountCaptured: number
  amountRefunded: number
  authorizedAt: string
  capturedAt: string
  authExpiresAt: string
  authDaysLeft: number | null
  paymentDeadline: string
  paidAt: string
  lastSyncedAt: string
  inFlight: boolean
  actions: string[]
  tax: number
  processedAt: string
  operations: Operation[]
  // The gateway holds several transactions under the payment's id (Paygent 13002): the
  // operator chooses the current one among the candidates. null when not waiting.
  review: PaymentReview | null
  // The numbers the customer pays a konbini / Pay-easy payment with; null for none.
  slip?: PaymentSlip | null
  failureReason?: string // why the last 売上 failed (売上失敗)
  // The payment's version as shown: an action sends it back (ActionInput.version) and is
  // refused, nothing sent, when the payment changed since (UIError.changed).
  version: number
}

// PaymentSlip: store is the chain's name (konbini only).
export interface PaymentSlip { store: string; storeEn?: string; receiptNo: string; confNo: string; bkCode: string; custId: string }

// OperationProgress is the "operation:progress" event: what a single action waits for.
export interface OperationProgress { paymentId: number; operationId: number; kind: string; stage: 'sending' | 'inquiring' | 'done' }

// PaymentReview: candidates each as the gateway reported them by their own id (side by
// side, like the link panel); operationId is the unknown operation the choice settles (0 = none).
export interface PaymentReview { foundAt: string; operationId: number; candidates: TxView[] }

export interface OrderEvent {
  at: string
  actor: string
  pc?: string // the PC (hostname) it was made on; '' in entries made before it was kept
  kind: string
  detail: string
  detailEn?: string
}

export interface OrderDetail {
  id: number
  orderNo: string
  orderedAt: string
  updatedAt: string
  customerName: string
  customerKana: string
  email: string
  tel: string
  paymentMethod: Label
  items: LineItem[]
  subtotal: number
  discount: number
  shipping: number
  fee: number
  pointsUsed: number
  total: number
  status: Label
  memo: string
  demo: boolean
  payments: Payment[]
  events: OrderEvent[]
  tax: number
  zip: string
  address: string
  shipName: string
  shipZip: string
  shipAddress: string
  shipTel: string
  deliveryMethod: string
  trackingNo: string
  link: LinkRow | null // present when the order needs a link and has no payment
  statusChoices?: Label[] // the 対応状況 the operator may set here now (current first)
}

export interface ActionInput {
  intent: string
  amount: string
  captureNow: boolean
  status?: string // 売上: the 対応状況 to set, 'paid' (default) or 'shipped'
  // The payment's version the window showed (to confirm: the preview's paymentVersion);
  // omitted or 0 = as it reads now, unchecked.
  version?: number
}

export interface PreviewStep {
  kind: Label
  amount: number
  reason: string
}

export interface ActionPreview {
  intent: string
  steps: PreviewStep[]
  orderOnly: boolean
  manualRefund: number
  reason: string
  newStatus: Label
  paymentVersion: number // the version the preview was made for: the confirm sends it
}

export interface OperationResult {
  message: string
  operation: Operation
  order: OrderDetail
}

export interface Options {
  statuses: Label[]
  methods: Label[]
  paymentStates: Label[]
}

export interface Info {
  version: string
  dataDir: string
  database: string
  demo: boolean
  language: string
  operator: string
  setupNeeded: boolean // a new data folder: ask demo shop or my shop
  startView?: string // KESSAIDESK_START_VIEW (startView.ts)
  // Where the orders are: this PC's database, the team's shared server, or (offline) its
  // last copy shown read-only with nothing sent; offline/offlineEn say why.
  databaseMode?: DatabaseMode
  offline?: string
  offlineEn?: string
}

// 設定 → 共有データベース (app/shareddb.go).
export type DatabaseMode = 'local' | 'shared' | 'offline'
export type SharedSSLMode = 'verify-full' | 'verify-ca' | 'disable'
// The connection form; password '' keeps the one in the OS keychain.
export interface SharedDBForm { host: string; port: number; database: string; user: string; password: string; sslMode: SharedSSLMode | string; caFile: string }
export interface SharedDBStatus {
  mode: DatabaseMode
  database: string // the SQLite file (local, offline copy) or user@host:port/database
  form: SharedDBForm | null // the server's settings without the password; null in local mode
  hasPassword: boolean
  offline: string; offlineEn: string // why the server is not used ('' online)
  copyAt: string // when the offline copy was made (RFC 3339; '' none)
  operator: string; pc: string
}
// What the connection test found. schema: empty | current | older | newer | foreign.
export interface SharedTestResult { serverVersion: string; tls: boolean; schema: string; migrations: number; orders: number }
// A move's per-table counts (dbmove.TableCount: Go field names, no JSON tags).
export interface MoveTableCount { Table: string; Source: number; Kept: number; Copied: number; Derived: boolean }
export interface MoveReport { tables: MoveTableCount[] }
// Event "shared:progress" (dbmove.Progress): Done of Total rows of Table.
export interface MoveProgress { Table: string; Done: number; Total: number }

// About and the log (Support.About): versions and the third-party code shipped, its
// licences generated at build time (backend/licenses).
export interface LicenseEntry { name: string; version: string; license: string; text: string }
export interface AboutInfo {
  version: string; buildDate: string; go: string; platform: string; dataDir: string; logDir: string
  logLevel: string; logLevels: string[] // debug, info, warn, error
  goModules: LicenseEntry[]; npmPackages: LicenseEntry[]
}

// UIError is what a failed call rejects with (app.FormatError).
export interface UIError {
  code: string
  message: string
  messageEn: string
  // Refused because the payment changed since the window read it (nothing was sent):
  // the window reads it again.
  changed?: boolean
}

export function emptySearch(): OrderSearch {
  return {
    orderNoFrom: '', orderNoTo: '', statuses: [], name: '', kana: '', email: '', tel: '', methods: [],
    paymentStates: [], orderedFrom: '', orderedTo: '', updatedFrom: '', updatedTo: '', totalMin: '',
    totalMax: '', product: '', sort: '', page: 1, pageSize: 50,
  }
}

export interface WorkListInfo { code: string; ja: string; en: string; count: number }
export interface ProfileSync { profileId: number; name: string; lastSuccess: string; offlineSince: string; lastError: string }
export interface SyncState { profiles: ProfileSync[]; drifts: number }
export interface DriftRow {
  paymentId: number; orderId: number; orderNo: string; customerName: string; foundAt: string
  ourState: Label; gatewayState: Label; ourAmount: number; gatewayAmount: number; detail: string
  hold: boolean // the order is on 出荷を止める for this payment
}
// HoldRow is an order of 出荷を止める: its payment was cancelled or refunded at the gateway before shipping.
export interface HoldRow {
  paymentId: number; orderId: number; orderNo: string; customerName: string; status: Label; total: number
  gateway: string; gatewayState: Label; foundAt: string; detail: string
}
export interface StockRow {
  id: number; orderId: number; orderNo: string; productCode: string; productName: string; variant: string
  quantity: number; status: string; createdAt: string
}
export interface RefundRow {
  id: number; orderId: number; orderNo: string; customerName: string; amount: number; reason: string
  status: string; createdAt: string; doneAt: string; operator: string
}
// One profile's fees of a month: 売上集計's fee lines of the profile summed (Work.Fees).
export interface FeeRow { profileName: string; month: string; operations: number; unresolved: number; fee: number }

export interface SecretInfo { name: string; label: string; required: boolean; set: boolean }
export interface GatewayKindInfo {
  code: string; ja: string; merchantLabel: string; subLabel: string; secrets: SecretInfo[]
  defaultExpiryDays: number; testHost: string; productionHost: string; supported: boolean
  merchantHelp?: string; subHelp?: string; secretsHelp?: string // where the gateway's console / papers give each value
}
export interface ProfileView {
  id: number; name: string; kind: string; kindLabel: string; demo: boolean; environment: string; host: string
  merchantId: string; subId: string; methods: string[]; authExpiryDays: number; feePerOperation: number
  autoCapture: boolean; secrets: SecretInfo[]; differenceInquiry: boolean
  linkRule: LinkRule; linkRuleText: string
  salesCancelFrom?: string; salesCancelDays?: number // Paygent: 売上取消の期限 from 'sale' | 'auth', days ('' / 0 for other gateways)
  // Paygent's saved client certificate: whose, until when; certProblem says why it cannot be read
  certSubject?: string; certNotAfter?: string; certDaysLeft?: number; certExpiring?: boolean; certProblem?: string
}
export interface ProfileInput {
  id: number; name: string; kind: string; environment: string; host: string; merchantId: string; subId: string
  methods: string[]; authExpiryDays: string; feePerOperation: string; autoCapture: boolean; secrets: Record<string, string>
  differenceInquiry: boolean; linkRule: LinkRule
  salesCancelFrom: string; salesCancelDays: string // Paygent only: 'sale' | 'auth', days as typed ('' = 60)
}
export interface TestResult { ok: boolean; message: string }
export interface Rules {
  syncIntervalMinutes: string; netBankAutoCancel: boolean; staleProcessingMinutes: string; recheckDays: string
  expiryWarningDays?: string
}
// kind: manual | auto | before_restore | before_update | from_file
export interface BackupInfo { name: string; size: number; created: string; kind?: string }
export interface Backups { list: BackupInfo[]; restorePending: string; auto?: boolean; keep?: number; folder?: string }
export interface RestoreChoice { name: string; orders: number; payments: number; lastOrder: string }
export interface RestoreNote { name: string; created: string; orders: number; lastOrder: string; previous: string; refused: string }
export interface SyncRun {
  startedAt: string; finishedAt: string; full: boolean; checked: number; deposits: number; expired: number; updated: number
  drifts: number; resolved: number; holds: number; offline: string[]; errors: string[]
}
export interface CertificateView {
  content: string; format: 'pem' | 'pkcs12'; fileName: string; subject: string; notAfter: string; daysLeft: number; expiring: boolean
}

// 売上集計
export interface ReportQuery { from: string; to: string; granularity: 'day' | 'week' | 'month'; basis: 'sale' | 'ordered'; profileIds: number[]; methods: string[] }
export interface Figures { count: number; gross: number; refunded: number; net: number }
export interface SalesLine extends Figures { period: number; profileId: number; profileName: string; method: Label }
export interface SalesView { periods: { label: string; start: string }[]; lines: SalesLine[]; perPeriod: Figures[]; total: Figures }
export interface DueLine { day: string; daysLeft: number; profileName: string; method: Label; count: number; amount: number }
export interface DueBand { code: string; count: number; amount: number }
export interface DueView { lines: DueLine[]; bands: DueBand[]; total: DueBand }
export interface FeeLine { profileId: number; profileName: string; kind: Label; billable: number; unresolved: number; feePerOp: number; fee: number }
export interface FeesView { month: string; lines: FeeLine[]; billable: number; unresolved: number; total: number }
export interface FeeSchedule { profileId: number; profileName: string; default: number; kinds: Label[]; fees: Record<string, string> }
export type ReportTable = 'sales' | 'outstanding' | 'deposits' | 'fees'

// BulkSelection is one selected row's payment with the version the list showed.
export interface BulkSelection { paymentId: number; version: number }
export interface BulkItem { paymentId: number; orderId: number; orderNo: string; customerName: string; state: string; message: string }
export interface BulkJob { id: number; intent: string; state: string; total: number; counts: Record<string, number>; items: BulkItem[] }
export interface BulkProgress { jobId: number; intent: string; state: string; total: number; done: number; counts: Record<string, number> }

// LinkRule forms the gateway's id of an order from its order number (per profile).
export interface LinkRule { prefix: string; suffix: string; retrySuffixes: boolean; timestamped: boolean }

// 受注取込
export interface ImportFileInfo {
  path: string; name: string; size: number; encoding: string; detected: string
  header: string[]; sample: string[][]; suggested: string // suggested: a layout name or ''
}
export interface ImportLayout {
  name: string; label: string; builtin: boolean; perItem: boolean
  columns: Record<string, string[]> // field id → header names (joined in order)
  methods: Record<string, string> // the shop's word → payment method code
  statuses: Record<string, string> // the shop's word → order status code
  note: string
}
export interface ImportFieldSpec {
  field: string; label: Label; required: boolean; perItem: boolean; group: string
  requiredPerItem?: boolean // required when the file has one row per line item
  help?: string // a hint in Japanese (requested by the frontend, see api.md)
}
export interface ImportRequest {
  path: string; encoding: string; layout: string; inline: ImportLayout | null
  methods: Record<string, string>; statuses: Record<string, string>
}
export interface ImportProblem { line: number; column: string; message: string; messageEn: string }
export interface ImportConflict { orderNo: string; line: number; reason: string }
export interface ImportPreview {
  encoding: string; rows: number; orders: number; new: number; updated: number; unchanged: number; invalid: number
  conflicts: number; problems: ImportProblem[]; problemsTotal: number; conflictList: ImportConflict[]
  unknownMethods: string[]; unknownStatuses: string[]; withGatewayIds: number; ok: boolean
}
export interface ImportResult { new: number; updated: number; unchanged: number; conflicts: number; queuedForLink: number }
export interface ImportProgress { phase: 'check' | 'save'; bytes: number; totalBytes: number; rows: number }

// 連携
export interface LinkProgress {
  running: boolean; done: number; total: number; linked: number; notFound: number; ambiguous: number
  failed: number; noProfile: number; message: string
  error?: string // the run stopped before its end, for this reason
  errorEn?: string // the same in English
}
export interface TxIds { gatewayOrderId: string; tranId: string; tranPass: string }
export interface TxView {
  profileId: number; gateway: string; gatewayLabel: string; method: Label; gatewayOrderId: string; tranId: string
  state: Label; rawStatus: string; amount: number; tax: number; processedAt: string; authorizedAt: string
  amountFromConsole: boolean; error: string // error: this id's problem when several were checked
}
export interface LinkRow {
  orderId: number; orderNo: string; customerName: string; method: Label; total: number; orderedAt: string
  status: Label; reason: string; reasonEn?: string; gatewayOrderId: string; profileId: number; candidates: TxView[]
}
export interface ConsoleImportRequest { path: string; encoding: string; profileId: number; layout: string; inline: ImportLayout | null }
export interface ConsoleImportResult {
  rows: number; linked: number; already: number; ambiguous: number
  unmatched: { line: number; gatewayOrderId: string; reason: string }[]
}

// CSV出力
export type ExportEncoding = 'cp932' | 'utf-8'
export interface ExportResult { path: string; count: number }
export interface ExportProgress { rows: number; total: number }

// ホーム (Orders.Overview): each count is the size of the work list it links to.
// A bucket's bound is null when open on that side (null..-1 = lapsed).
export interface CaptureBucket { minDays: number | null; maxDays: number | null; count: number; amount: number }
export interface FailReason { code: string; message: string; count: number }
// state: ok (lastSuccess), error (reason; since = the failed attempt), offline (since, reason), never.
export interface ProfileHealth {
  profileId: number; name: string; demo: boolean; state: 'ok' | 'error' | 'offline' | 'never'
  lastSuccess: string; since: string; reason: string
}
export interface Overview {
  orders: number; demo: boolean
  toCapture: CaptureBucket[]; toCaptureCount: number; toCaptureAmount: number; toCaptureNoExpiry: number; toCaptureNoExpiryAmount: number
  captureFailed: number; captureFailedAmount: number; failReasons: FailReason[]
  awaitingDeposit: number; awaitingDepositAmount: number; overdueDeposit: number; overdueDepositAmount: number
  needsReview: number; unresolved: number; stale: number; drifts: number; stopShipping: number; cancelStock: number; unlinked: number
  sync: ProfileHealth[]
}

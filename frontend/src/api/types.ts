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
}

export interface OrderPage {
  rows: OrderRow[]
  total: number
  totalAtLeast: boolean
  page: number
  pageSize: number
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
  reason: string
  beforeState: Label
  afterState: Label
  newIdNeeded?: boolean
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
  operations: Operation[]
}

export interface OrderEvent {
  at: string
  actor: string
  kind: string
  detail: string
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
}

export interface ActionInput {
  intent: string
  amount: string
  captureNow: boolean
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
}

// UIError is what a failed call rejects with (app.FormatError).
export interface UIError {
  code: string
  message: string
  messageEn: string
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
}
export interface StockRow {
  id: number; orderId: number; orderNo: string; productCode: string; productName: string; variant: string
  quantity: number; status: string; createdAt: string
}
export interface RefundRow {
  id: number; orderId: number; orderNo: string; customerName: string; amount: number; reason: string
  status: string; createdAt: string; doneAt: string; operator: string
}
export interface FeeRow { profileName: string; month: string; operations: number; feePerOp: number; fee: number }

export interface SecretInfo { name: string; label: string; required: boolean; set: boolean }
export interface GatewayKindInfo {
  code: string; ja: string; merchantLabel: string; subLabel: string; secrets: SecretInfo[]
  defaultExpiryDays: number; testHost: string; productionHost: string; supported: boolean
}
export interface ProfileView {
  id: number; name: string; kind: string; kindLabel: string; demo: boolean; environment: string; host: string
  merchantId: string; subId: string; methods: string[]; authExpiryDays: number; feePerOperation: number
  autoCapture: boolean; secrets: SecretInfo[]; differenceInquiry: boolean
}
export interface ProfileInput {
  id: number; name: string; kind: string; environment: string; host: string; merchantId: string; subId: string
  methods: string[]; authExpiryDays: string; feePerOperation: string; autoCapture: boolean; secrets: Record<string, string>
  differenceInquiry: boolean
}
export interface TestResult { ok: boolean; message: string }
export interface Rules { syncIntervalMinutes: string; netBankAutoCancel: boolean; staleProcessingMinutes: string }
export interface BackupInfo { name: string; size: number; created: string }
export interface Backups { list: BackupInfo[]; restorePending: string }

export interface BulkItem { paymentId: number; orderId: number; orderNo: string; customerName: string; state: string; message: string }
export interface BulkJob { id: number; intent: string; state: string; total: number; counts: Record<string, number>; items: BulkItem[] }
export interface BulkProgress { jobId: number; intent: string; state: string; total: number; done: number; counts: Record<string, number> }

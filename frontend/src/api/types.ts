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

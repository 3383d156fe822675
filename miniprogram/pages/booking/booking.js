// 预约: hall -> service item (with its materials) -> working day and slot -> real-name form ->
// consent to reminders (wx.requestSubscribeMessage, answers sent to the server) -> booking -> confirmation.
// With ?reschedule=<booking id>, the same page moves an existing booking to another slot.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const subscribe = require('../../utils/subscribe')
const care = require('../../utils/care')

// The slot is gone or no longer bookable (full, closed, begun meanwhile): show the fresh availability instead of the form.
const SLOT_ERRORS = new Set(['slot_full', 'slot_closed', 'outside_booking_window', 'slot_started', 'slot_not_found'])
const RESCHEDULE_PURPOSES = ['booking_rescheduled', 'booking_reminder', 'booking_cancelled']

function newKey() {
  return `mp-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`
}

Page({
  data: {
    care: false,
    step: 'service',
    hall: null,
    services: [],
    service: null,
    days: [],
    slot: null,
    submitting: false,
    rescheduling: 0,
  },
  templates: [],
  attempt: null,

  onShow() {
    care.apply(this)
  },

  async onLoad(options) {
    this.hallId = Number(options.hall_id)
    const rescheduling = Number(options.reschedule || 0)
    this.setData({ rescheduling })
    const [hall, services, templates] = await Promise.all([
      api.request(E.hall, { path: { hall_id: this.hallId } }),
      api.request(E.hallServices, { path: { hall_id: this.hallId } }),
      // Loaded now: the consent dialog must open straight from the tap, with no request in between.
      subscribe.loadTemplates().catch(() => []),
    ]).catch(() => [null, [], []])
    if (!hall) return
    this.templates = templates
    const bookable = services.filter(s => s.is_active && s.has_schedule)
    this.setData({ hall, services: bookable })
    const preset = bookable.find(s => s.id === Number(options.service_id))
    if (preset) await this.chooseService(preset)
  },

  async chooseService(service) {
    this.setData({ service, step: 'slot', slot: null, days: [] })
    await this.loadAvailability()
  },

  async loadAvailability() {
    const answer = await api.request(E.hallAvailability, {
      path: { hall_id: this.hallId },
      query: { service_id: this.data.service.id },
    }).catch(() => null)
    if (answer) this.setData({ days: answer.days })
  },

  onService(e) {
    const service = this.data.services.find(s => s.id === Number(e.currentTarget.dataset.id))
    return this.chooseService(service)
  },

  onChangeService() {
    this.setData({ step: 'service', service: null, slot: null, days: [] })
  },

  onSlot(e) {
    this.attempt = null
    this.setData({ slot: e.detail.slot, step: this.data.rescheduling ? 'confirm' : 'form' })
  },

  onChangeSlot() {
    this.setData({ step: 'slot', slot: null })
  },

  onPrivacy() {
    wx.navigateTo({ url: '/pages/me/privacy' })
  },

  // From the form's submit tap: ask for consent first, while the tap still counts as the gesture.
  async onSubmit(e) {
    if (this.data.submitting) return
    const person = e.detail
    const consent = subscribe.ask(subscribe.templateIds(this.templates, subscribe.BOOKING_PURPOSES))
    this.setData({ submitting: true })
    try {
      const results = await consent
      await subscribe.record(results).catch(() => null)
      const booking = await this.book(person)
      wx.redirectTo({ url: `/pages/booking/detail?id=${booking.id}&created=1` })
    } catch (err) {
      if (SLOT_ERRORS.has(err.code)) {
        this.setData({ step: 'slot', slot: null })
        await this.loadAvailability()
      }
    } finally {
      this.setData({ submitting: false })
    }
  },

  book(person) {
    const payload = { slot_id: this.data.slot.id, service_id: this.data.service.id, name: person.name,
      id_number: person.id_number, phone: person.phone }
    // A retry of the same request keeps its key, so the server answers with the same booking.
    const signature = JSON.stringify(payload)
    if (!this.attempt || this.attempt.signature !== signature) this.attempt = { key: newKey(), signature }
    return api.request(E.book, { data: payload, header: { 'Idempotency-Key': this.attempt.key } })
  },

  // From the 确认改约 tap: consent first (it needs the tap), then the atomic move to the new slot.
  async onConfirmReschedule() {
    if (this.data.submitting) return
    const consent = subscribe.ask(subscribe.templateIds(this.templates, RESCHEDULE_PURPOSES))
    this.setData({ submitting: true })
    try {
      await subscribe.record(await consent).catch(() => null)
      const moved = await api.request(E.rescheduleBooking, {
        path: { booking_id: this.data.rescheduling },
        data: { slot_id: this.data.slot.id },
      })
      wx.redirectTo({ url: `/pages/booking/detail?id=${moved.id}&rescheduled=1` })
    } catch (err) {
      if (SLOT_ERRORS.has(err.code)) {
        this.setData({ step: 'slot', slot: null })
        await this.loadAvailability()
      }
    } finally {
      this.setData({ submitting: false })
    }
  },
})

// One booking: the confirmation after booking (QR code and booking code), cancel, reschedule,
// the hall's live queue, and the rating (好差评) once the business is done.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const time = require('../../utils/time')
const format = require('../../utils/format')
const care = require('../../utils/care')

const ZONE = 'Asia/Shanghai'
const SCORES = [1, 2, 3, 4, 5]
const SCORE_WORDS = ['', '非常不满意', '不满意', '基本满意', '满意', '非常满意']

/** The 好差评 a booking was given, as the page shows it: stars for the eye, words for a screen reader. */
function ratingView(rating) {
  if (!rating) return null
  const score = Number(rating.score)
  return { score, stars: '★'.repeat(score) + '☆'.repeat(SCORES.length - score), word: SCORE_WORDS[score],
    comment: rating.comment || '', aria: `你的评价：${score}星，${SCORE_WORDS[score]}` }
}

function view(booking) {
  const day = time.dayLabel(booking.slot.date)
  return {
    id: booking.id,
    code: booking.code,
    status: booking.status,
    statusText: format.bookingStatus(booking.status),
    hall: booking.hall,
    service: booking.service,
    when: `${day.label} ${day.weekday} ${time.timeRange(booking.slot.start, booking.slot.end, ZONE)}`,
    deadline: time.dateTime(booking.checkin_deadline, ZONE).slice(11),
    person: booking.person,
    ticket: booking.ticket ? booking.ticket.label : '',
    cancelReason: booking.cancel_reason || '',
    active: booking.status === 'booked',
    inQueue: booking.status === 'checked_in' || booking.status === 'serving',
    // A booking is rated once: once rated it shows its score, never the form again.
    rating: ratingView(booking.rating),
    rateable: format.awaitsRating(booking),
  }
}

Page({
  data: { care: false, booking: null, created: false, rescheduled: false, qr: '', score: 0, comment: '', scores: SCORES, scoreWord: '' },

  onShow() {
    care.apply(this)
  },

  onLoad(options) {
    this.bookingId = Number(options.id)
    this.setData({ created: options.created === '1', rescheduled: options.rescheduled === '1' })
    return this.load()
  },

  async load() {
    const booking = await api.request(E.booking, { path: { booking_id: this.bookingId } }).catch(() => null)
    if (!booking) return
    this.raw = booking
    this.setData({ booking: view(booking) })
    // The QR code carries a signed check-in token and is only issued while the booking is active.
    if (booking.status === 'booked') {
      const qr = await api.download(E.bookingQr, { path: { booking_id: this.bookingId } }).catch(() => '')
      this.setData({ qr })
    }
  },

  onPreviewQr() {
    if (this.data.qr) wx.previewImage({ urls: [this.data.qr] })
  },

  onCopyCode() {
    wx.setClipboardData({ data: this.data.booking.code })
  },

  onCancel() {
    return new Promise(resolve => {
      wx.showModal({
        title: '取消预约',
        editable: true,
        placeholderText: '取消原因（选填）',
        confirmText: '确认取消',
        cancelText: '再想想',
        success: res => resolve(res.confirm ? this.cancel(res.content || '') : null),
      })
    })
  },

  async cancel(reason) {
    const booking = await api.request(E.cancelBooking, { path: { booking_id: this.bookingId }, data: { reason } }).catch(() => null)
    if (!booking) return
    this.raw = booking
    this.setData({ booking: view(booking), qr: '' })
    wx.showToast({ title: '已取消', icon: 'success' })
  },

  onReschedule() {
    const b = this.raw
    wx.navigateTo({ url: `/pages/booking/booking?hall_id=${b.hall.id}&service_id=${b.service.id}&reschedule=${b.id}` })
  },

  onQueue() {
    const b = this.raw
    wx.navigateTo({ url: `/pages/booking/queue?hall_id=${b.hall.id}&ticket=${b.ticket ? b.ticket.label : ''}` })
  },

  onScore(e) {
    const score = Number(e.currentTarget.dataset.score)
    this.setData({ score, scoreWord: SCORE_WORDS[score] })
  },

  onComment(e) {
    this.setData({ comment: e.detail.value })
  },

  async onRate() {
    if (!this.data.score) {
      wx.showToast({ title: '请先选择评分', icon: 'none' })
      return
    }
    const rating = await api.request(E.rateBooking, {
      path: { booking_id: this.bookingId },
      data: { score: this.data.score, comment: this.data.comment },
    }).catch(err => (err.code === 'already_rated' ? 'already' : null))
    // Rated meanwhile (another phone, an earlier tap): show the score the server kept.
    if (rating === 'already') await this.load()
    else if (rating) this.setData({ 'booking.rating': ratingView(rating), 'booking.rateable': false })
  },
})

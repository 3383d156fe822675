// Days along the top, the chosen day's slots below with the seats left.
// Days and slots come from GET /api/v1/halls/{id}/availability; what is bookable is the server's word:
// each slot's `bookable`, never the day's `working_day` (a hall may open on a Saturday morning).
const time = require('../../utils/time')
const format = require('../../utils/format')

/** What the day's tab says: open days, extra openings on a day off, full days and rest days. */
function dayState(day, open) {
  if (open) return day.working_day ? '可约' : format.dayOffOpening(day.date)
  if (!day.slots.length) return day.working_day ? '无号' : '休息'
  return day.slots.every(s => s.reason === 'slot_full') ? '约满' : '不可约'
}

function dayRows(days) {
  return (days || []).map(day => {
    const label = time.dayLabel(day.date)
    const open = day.slots.some(s => s.bookable)
    const state = dayState(day, open)
    return { date: day.date, label: label.label, weekday: label.weekday, working: day.working_day, open,
      extra: open && !day.working_day, state, hasSlots: day.slots.length > 0,
      aria: `${label.label} ${label.weekday} ${state}`, unconfirmed: day.calendar_confirmed === false }
  })
}

function slotRows(day, zone, selectedId) {
  if (!day) return []
  return day.slots.map(slot => {
    const range = time.timeRange(slot.start, slot.end, zone)
    const note = slot.bookable ? `余${slot.remaining}` : format.slotReason(slot.reason)
    return { id: slot.id, range, bookable: slot.bookable, remaining: slot.remaining, note,
      aria: `${range} ${note}`, selected: slot.id === selectedId }
  })
}

Component({
  properties: {
    days: { type: Array, value: [] },
    zone: { type: String, value: 'Asia/Shanghai' },
    selectedId: { type: Number, value: 0 },
  },
  data: { dayRows: [], slots: [], current: 0, unconfirmed: false, extra: '' },
  observers: {
    'days, zone, selectedId'(days) {
      const rows = dayRows(days)
      // Open on the first day a slot can still be booked; keep the resident's day when data refreshes.
      const keep = this.data.dayRows.length && rows[this.data.current] && rows[this.data.current].date === this.data.dayRows[this.data.current].date
      const first = rows.findIndex(r => r.open)
      const current = keep ? this.data.current : Math.max(first, 0)
      this.setData({ dayRows: rows, current })
      this.showDay(current)
    },
  },
  methods: {
    showDay(index) {
      const day = (this.properties.days || [])[index]
      const row = this.data.dayRows[index]
      this.setData({
        current: index,
        slots: slotRows(day, this.properties.zone, this.properties.selectedId),
        unconfirmed: Boolean(day && day.calendar_confirmed === false),
        extra: row && row.extra ? `${row.label}（${row.weekday}）是${row.state === '周末开放' ? '周末' : '节假日'}，大厅开放预约` : '',
      })
    },
    onDayTap(e) {
      const index = Number(e.currentTarget.dataset.index)
      const row = this.data.dayRows[index]
      // A day off with no slots has nothing to show; any day with slots opens, bookable or not.
      if (!row || (!row.working && !row.hasSlots)) return
      this.showDay(index)
    },
    onSlotTap(e) {
      const id = Number(e.currentTarget.dataset.id)
      const day = this.properties.days[this.data.current]
      const slot = day.slots.find(s => s.id === id)
      if (!slot || !slot.bookable) return
      const label = time.dayLabel(day.date)
      this.triggerEvent('select', {
        slot: { id: slot.id, date: day.date, start: slot.start, end: slot.end, remaining: slot.remaining,
          label: `${label.label} ${label.weekday} ${time.timeRange(slot.start, slot.end, this.properties.zone)}` },
      })
    },
  },
})

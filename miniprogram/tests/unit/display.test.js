// Times, distances, opening hours and map markers as the resident sees them.
const time = require('../../utils/time')
const format = require('../../utils/format')
const hours = require('../../utils/hours')
const mapUtil = require('../../utils/map')

describe('times in the hall\'s zone', () => {
  test('a UTC slot is shown in China time, across midnight too', () => {
    expect(time.timeRange('2026-12-01T01:00:00Z', '2026-12-01T01:30:00Z', 'Asia/Shanghai')).toBe('09:00–09:30')
    // 16:30 UTC on 30 November is 00:30 on 1 December in Shenzhen.
    expect(time.localParts('2026-11-30T16:30:00Z')).toEqual({ date: '2026-12-01', time: '00:30', weekday: 2 })
    expect(time.dateTime('2026-12-01T01:45:00+00:00')).toBe('2026-12-01 09:45')
  })

  test('a calendar date gets its Chinese day and weekday', () => {
    // 1 October 2026 is a Thursday; 29 February 2028 a Tuesday.
    expect(time.dayLabel('2026-10-01')).toEqual({ label: '10月1日', weekday: '周四' })
    expect(time.dayLabel('2028-02-29')).toEqual({ label: '2月29日', weekday: '周二' })
  })

  test('today in China is already tomorrow at 23:00 UTC', () => {
    expect(time.chinaToday(Date.UTC(2026, 11, 31, 23, 0))).toBe('2027-01-01')
  })
})

describe('distances and statuses', () => {
  test.each([[0, '0米'], [71, '71米'], [999.4, '999米'], [1000, '1.0公里'], [1234, '1.2公里'], [12600, '13公里'], [null, '']])(
    '%s metres read %s', (m, text) => expect(format.distance(m)).toBe(text))

  test('booking statuses and slot reasons are in Chinese', () => {
    expect(format.bookingStatus('booked')).toBe('待签到')
    expect(format.bookingStatus('no_show')).toBe('已爽约')
    expect(format.slotReason('slot_full')).toBe('已约满')
    expect(format.slotReason('slot_started')).toBe('已开始')
  })

  test('a day off on which the hall opens is a weekend or a holiday opening', () => {
    expect(format.dayOffOpening('2026-12-05')).toBe('周末开放')
    expect(format.dayOffOpening('2026-12-06')).toBe('周末开放')
    expect(format.dayOffOpening('2026-10-01')).toBe('节假日开放')
  })
})

describe('opening hours', () => {
  const HOURS = {
    weekly: { mon: [['09:00', '12:00'], ['14:00', '18:00']], tue: [['09:00', '12:00'], ['14:00', '18:00']], sat: [['09:00', '12:00']] },
    exceptions: [{ date: '2026-10-01', periods: [] }, { date: '2026-10-10', periods: [['10:00', '12:00']] }],
  }

  test('the weekly table lists every day, lunch breaks included', () => {
    const rows = hours.weeklyRows(HOURS)
    expect(rows).toHaveLength(7)
    expect(rows[0]).toEqual({ day: '周一', text: '09:00–12:00、14:00–18:00' })
    expect(rows[5]).toEqual({ day: '周六', text: '09:00–12:00' })
    expect(rows[6]).toEqual({ day: '周日', text: '休息' })
  })

  test('today\'s hours honour a dated exception over the weekly table', () => {
    expect(hours.todayText(HOURS, '2026-09-28')).toBe('今日 09:00–12:00、14:00–18:00') // a Monday
    expect(hours.todayText(HOURS, '2026-10-01')).toBe('今日休息（节假日）')
    expect(hours.todayText(HOURS, '2026-10-10')).toBe('今日（特别安排）10:00–12:00') // a Saturday
    expect(hours.todayText(HOURS, '2026-09-27')).toBe('今日休息') // a Sunday
  })

  test('the next change reads relative to today', () => {
    expect(hours.nextChangeText({ at: '2026-11-30T18:00:00+08:00', change: 'closes' }, '2026-11-30')).toBe('18:00 关门')
    expect(hours.nextChangeText({ at: '2026-12-01T09:00:00+08:00', change: 'opens' }, '2026-11-30')).toBe('明天 09:00 开门')
    expect(hours.nextChangeText({ at: '2026-12-07T09:00:00+08:00', change: 'opens' }, '2026-12-04')).toBe('12月7日（周一）09:00 开门')
    expect(hours.nextChangeText(null, '2026-12-04')).toBe('')
  })
})

describe('map markers', () => {
  const CLUSTERS = {
    type: 'FeatureCollection', coord: 'gcj02', total: 14, zoom: 12, grouping_zoom: 12,
    features: [
      { type: 'Feature', id: 87, geometry: { type: 'Point', coordinates: [114.1015, 22.5919] },
        properties: { name: '草埔西社区健康服务中心', category: 'health.community', cluster: false } },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [114.1224, 22.5946] },
        properties: { cluster: true, point_count: 13, expansion_zoom: 14, co_located: false } },
    ],
  }

  test('points keep their numeric id; clusters get numbers far above any POI and show their count', () => {
    const { markers, lookup } = mapUtil.markersFrom(CLUSTERS)
    expect(markers.map(m => m.id)).toEqual([87, 900000001])
    expect(markers.every(m => Number.isInteger(m.id))).toBe(true)
    expect(markers[0]).toMatchObject({ longitude: 114.1015, latitude: 22.5919, joinCluster: true })
    expect(markers[1].label.content).toBe('13')
    expect(lookup[87]).toEqual({ kind: 'poi', id: 87 })
    expect(lookup[900000001]).toMatchObject({ kind: 'cluster', expansionZoom: 14, count: 13 })
  })

  test('a region becomes the API\'s bbox and a scale its zoom', () => {
    const region = { southwest: { longitude: 114.1, latitude: 22.53 }, northeast: { longitude: 114.16, latitude: 22.571234567 } }
    expect(mapUtil.bboxOf(region)).toBe('114.100000,22.530000,114.160000,22.571235')
    expect(mapUtil.zoomOf(14.6)).toBe(15)
    expect(mapUtil.zoomOf(25)).toBe(20)
  })
})

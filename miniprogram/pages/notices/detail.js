// One notice (通知公告): a hall closing on a day, a consultation, a policy briefing.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const time = require('../../utils/time')
const care = require('../../utils/care')

Page({
  data: { care: false, notice: null, when: '' },

  onShow() {
    care.apply(this)
  },

  async onLoad(options) {
    const notice = await api.request(E.notice, { path: { notice_id: Number(options.id) } }).catch(() => null)
    if (notice) this.setData({ notice, when: time.dateTime(notice.published_at) })
  },
})

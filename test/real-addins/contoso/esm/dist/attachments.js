export function countAttachments(item) {
  return Promise.resolve(item.attachments.length);
}

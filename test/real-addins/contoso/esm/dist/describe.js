export function describeItem(item, version) {
  return `${item.itemType}: ${item.subject} (v${version})`;
}

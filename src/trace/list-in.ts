/** The list stored under `key`, created empty on first use (Map or WeakMap). */
export function listIn<K, V, M extends { get(key: K): V[] | undefined; set(key: K, value: V[]): unknown }>(
  map: M,
  key: K,
): V[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}

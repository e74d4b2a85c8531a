import { useI18n } from 'vue-i18n';

/** Where a department is, in words: 住院楼A 5层 / 住院楼A, floor 5; empty when neither is known. */
export function useLocationText() {
  const { t } = useI18n();
  return (place: { building: string; floor: string } | null | undefined): string => {
    if (!place || (!place.building && !place.floor)) return '';
    if (!place.floor) return place.building;
    return t('department.locationValue', { building: place.building, floor: place.floor });
  };
}

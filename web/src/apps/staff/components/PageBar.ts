export interface PageBarProps {
  title: string;
}

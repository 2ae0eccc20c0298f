import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Expert } from './expert.ts';
import type { Ticket } from './ticket.ts';

export type AliasSide = 'customer' | 'expert';

/** A name one side of a ticket goes by; `activeName` is null once released (see the migration). */
export class TicketAlias extends Model<InferAttributes<TicketAlias>, InferCreationAttributes<TicketAlias>> {
  declare id: CreationOptional<number>;
  declare ticketId: ForeignKey<Ticket['id']>;
  declare side: AliasSide;
  declare expertId: ForeignKey<Expert['id']> | null;
  declare name: string;
  declare activeName: string | null;
  declare releasedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof TicketAlias {
    return TicketAlias.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        side: { type: DataTypes.STRING(8), allowNull: false },
        name: { type: DataTypes.STRING(64), allowNull: false },
        activeName: { type: DataTypes.STRING(64), allowNull: true },
        releasedAt: { type: DataTypes.DATE(3), allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'ticket_aliases', modelName: 'TicketAlias' },
    );
  }
}
